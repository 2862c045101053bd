// `npm start` and `npm run admin` build only what changed since the last build: the compiled
// TypeScript when a source or a tsconfig is newer than the last successful compile, the docs page
// when openapi.yaml or redocly.yaml is newer than it. Even an incremental `tsc` takes seconds just to
// load the program, so the check is by file times and costs milliseconds when nothing changed.
// The docs build's own chatter (third-party banners) is shown only when it fails.
//
//   node scripts/build-if-stale.js [--server-only]
//     --server-only  the compiled TypeScript only (the admin CLI does not need the docs page)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const COMPILED_STAMP = join(root, 'dist', '.compiled');
// Written by every tsc run that emitted something, `npm run build`'s included.
const TS_BUILD_INFO = join(root, 'dist', '.tsbuildinfo');
const DOCS_PAGE = join(root, 'dist', 'docs', 'index.html');

function newestTime(paths) {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (!stat.isDirectory()) {
      newest = Math.max(newest, stat.mtimeMs);
      continue;
    }
    // A directory's own time changes when a file is added, removed or renamed in it.
    newest = Math.max(newest, stat.mtimeMs, newestTime(readdirSync(path).map((name) => join(path, name))));
  }
  return newest;
}

function builtTime(...paths) {
  return Math.max(-1, ...paths.filter((path) => existsSync(path)).map((path) => statSync(path).mtimeMs));
}

function run(label, command, args, { quiet }) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_UPDATE_NOTIFIER: '1' },
  });
  if (result.status !== 0) {
    if (quiet) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    process.stderr.write(`${label} failed${result.error ? `: ${result.error.message}` : ''}\n`);
    process.exit(1);
  }
  process.stderr.write(`${label} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

const sources = ['server', 'client', 'generated', 'tsconfig.json', 'tsconfig.build.json'].map((path) => join(root, path));
if (newestTime(sources) > builtTime(COMPILED_STAMP, TS_BUILD_INFO)) {
  run('Compiled the TypeScript', process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { quiet: false });
  mkdirSync(dirname(COMPILED_STAMP), { recursive: true });
  writeFileSync(COMPILED_STAMP, `${new Date().toISOString()}\n`);
}

const docsSources = ['openapi.yaml', 'redocly.yaml'].map((path) => join(root, path));
if (!process.argv.includes('--server-only') && newestTime(docsSources) > builtTime(DOCS_PAGE)) {
  run('Built the API reference (dist/docs/index.html)', 'npm', ['run', '-s', 'docs'], { quiet: true });
}
