// The Dockerfile's steps, without a container runtime (none can pull images here): its runtime
// stage's COPY lines are performed from this build into a temp dir, the runtime dependencies are
// installed there with `npm ci --omit=dev` from the lockfile, and the image's CMD runs as it would
// as PID 1. It must answer, stop within 2 s of SIGTERM, and lose no log line on the way out.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../server/spec.js';

const DOCKERFILE = readFileSync(join(PACKAGE_ROOT, 'Dockerfile'), 'utf8');
/** The last stage: what the image holds and runs. */
const RUNTIME_STAGE = DOCKERFILE.slice(DOCKERFILE.lastIndexOf('\nFROM '));
const REQUESTS = 20;

describe("the Dockerfile's runtime image, step by step", () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bd-deploy-'));
    // `COPY --from=build /app/<path> ./<path>`: the build's output, which `npm test` has just built.
    for (const [, from, to] of RUNTIME_STAGE.matchAll(/^COPY --from=build \/app\/(\S+) \.\/(\S+)$/gm)) {
      mkdirSync(dirname(join(dir, to!)), { recursive: true });
      cpSync(join(PACKAGE_ROOT, from!), join(dir, to!), { recursive: true });
    }
    // The deps stage: the lockfile's runtime dependencies alone. Its install scripts are skipped
    // here, and better-sqlite3's native module (same version, same platform) taken from this
    // checkout: compiling it takes minutes, and nothing may be downloaded.
    cpSync(join(PACKAGE_ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
    await promisify(execFile)('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], {
      cwd: dir,
      timeout: 240_000,
    });
    cpSync(join(PACKAGE_ROOT, 'node_modules/better-sqlite3/build'), join(dir, 'node_modules/better-sqlite3/build'), { recursive: true });
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('declares a non-root user, node as PID 1, a HEALTHCHECK on /readyz, and installs with --omit=dev', () => {
    expect(DOCKERFILE).toMatch(/^RUN npm ci --omit=dev /m);
    expect(RUNTIME_STAGE).toMatch(/^USER node$/m);
    expect(RUNTIME_STAGE).toMatch(/^HEALTHCHECK [\s\S]*\/readyz/m);
    expect(RUNTIME_STAGE).toMatch(/^CMD \["node", "dist\/server\/main\.js"\]$/m);
    expect(RUNTIME_STAGE).toMatch(/^ENV NODE_ENV=production /m);
  });

  it('holds no package that only development needs', () => {
    // The lockfile marks `dev` what only devDependencies pull in (some @types are runtime dependencies' own).
    const lock = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.keys(lock.packages).filter((path) => lock.packages[path]!.dev && !path.includes('/node_modules/', 1));
    expect(devOnly).toContain('node_modules/typescript');
    expect(devOnly.filter((path) => existsSync(join(dir, path)))).toEqual([]);
    expect(existsSync(join(dir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
  });

  it('runs, answers, and stops within 2 s of SIGTERM with every log line written', async () => {
    const child = spawn(process.execPath, ['dist/server/main.js'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', DATABASE_URL: `sqlite:${join(dir, 'data', 'batchdata.db')}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = once(child, 'exit');
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`did not listen: ${stdout}${stderr}`)), 60_000);
      child.stdout.on('data', () => {
        const listening = /"url":"(http:[^"]+)".*"msg":"listening"/.exec(stdout);
        if (listening) {
          clearTimeout(timer);
          resolve(listening[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stdout}${stderr}`)));
    });

    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${url}/docs`)).text()).toContain('<html');
    const token = /\n {2}(bds_[A-Za-z0-9_-]+)\n/.exec(stdout)![1]!;
    const statuses = await Promise.all(
      Array.from({ length: REQUESTS }, () =>
        fetch(`${url}/api/v2/property/search-sessions`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual(Array(REQUESTS).fill(200));

    const signalled = Date.now();
    child.kill('SIGTERM');
    const [code] = await exited;
    const stoppedInMs = Date.now() - signalled;
    expect(code).toBe(0);
    expect(stoppedInMs).toBeLessThan(2000);

    const logLines = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg: string; route?: string; status?: number });
    const apiRequests = logLines.filter((line) => line.msg === 'request' && line.route === '/api/v2/property/search-sessions');
    expect(apiRequests).toHaveLength(REQUESTS);
    expect(logLines.map((line) => line.msg).slice(-2)).toEqual(['stopping', 'server stopped']);
    expect(stderr).toBe('');
  });
});
