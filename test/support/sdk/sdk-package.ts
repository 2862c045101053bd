// The SDK as an app gets it: packed with `npm run sdk:pack` and installed from the tarball into a
// fresh temporary project, offline and with an empty npm cache. Its dependencies come as tarballs
// packed from this repo's node_modules (the lockfile's versions): `npm ci` caches tarballs but not
// the registry metadata an `npm install --offline` of a bare version needs.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_ROOT } from '../../../server/spec.js';

const run = promisify(execFile);

export const SDK_MANIFEST = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'client', 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  bin: Record<string, string>;
  exports: Record<string, { types: string; default: string }>;
};

export interface InstalledSdk {
  tarball: string;
  /** The temporary app's folder, with the SDK in node_modules. */
  dir: string;
  /** Runs a command in the app's folder; rejects on a non-zero exit unless `allowFailure`. */
  exec(file: string, args: string[], options?: { env?: Record<string, string>; allowFailure?: boolean }): Promise<{ code: number; stdout: string; stderr: string }>;
  remove(): void;
}

/** The folders of these packages and of everything they depend on, as installed in this repo. */
function installedDependencyFolders(names: readonly string[], seen = new Set<string>()): string[] {
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { dependencies?: object };
    installedDependencyFolders(Object.keys(manifest.dependencies ?? {}), seen);
  }
  return [...seen].map((name) => join(PACKAGE_ROOT, 'node_modules', name));
}

export async function packAndInstall(): Promise<InstalledSdk> {
  await run('npm', ['run', '-s', 'sdk:pack'], { cwd: PACKAGE_ROOT, timeout: 120_000 });
  const tarball = join(PACKAGE_ROOT, 'dist', `${SDK_MANIFEST.name}-${SDK_MANIFEST.version}.tgz`);
  const dir = mkdtempSync(join(tmpdir(), 'bd-sdk-app-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'sdk-app', private: true, type: 'module' }));
  // Nothing from this machine's npm cache: what installs, installs from the tarballs alone.
  const npmEnv = { npm_config_cache: join(dir, '.npm-cache') };

  async function exec(file: string, args: string[], options: { env?: Record<string, string>; allowFailure?: boolean } = {}) {
    try {
      const { stdout, stderr } = await run(file, args, { cwd: dir, timeout: 120_000, env: { ...process.env, ...npmEnv, ...options.env } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: unknown; stdout?: string; stderr?: string };
      if (!options.allowFailure || typeof failed.code !== 'number') throw error;
      return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  const dependencies = join(dir, 'dependencies');
  const folders = installedDependencyFolders(Object.keys(SDK_MANIFEST.dependencies));
  mkdirSync(dependencies);
  await exec('npm', ['pack', '--pack-destination', dependencies, ...folders]);
  const packed = readdirSync(dependencies).map((file) => join(dependencies, file));
  await exec('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball, ...packed]);
  return { tarball, dir, exec, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
