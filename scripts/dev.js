// `npm run dev`: tsc in watch mode beside the server under `node --watch`, which restarts it each
// time tsc rewrites a compiled module it loaded. Response validation stays on (NODE_ENV is not
// production), so a handler answering outside the spec shows up at once as a 500.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-if-stale.js')], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const env = { ...process.env };
if (env.NODE_ENV === 'production') delete env.NODE_ENV;
const children = [
  spawn(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], { cwd: root, stdio: 'inherit', env }),
  spawn(process.execPath, ['--watch', '--no-warnings=ExperimentalWarning', 'dist/server/main.js'], { cwd: root, stdio: 'inherit', env }),
];
// One stops, both stop: a watcher left behind would hold the port or the terminal.
let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));
for (const child of children) child.on('exit', (code) => { process.exitCode ||= code ?? 0; stop('SIGTERM'); });
