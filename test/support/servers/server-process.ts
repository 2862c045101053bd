// The compiled server as an operator runs it (`node dist/server/main.js`), on a free port with its
// own SQLite file, and the admin CLI on the same DATABASE_URL.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_ROOT } from '../../../server/spec.js';

const MAIN = join(PACKAGE_ROOT, 'dist/server/main.js');
const CLI = join(PACKAGE_ROOT, 'dist/server/admin/cli.js');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  return spawnNodeServer(MAIN, env);
}

/**
 * Any server script that prints `{"url":…,"msg":"listening"}` once it listens; with `cpu`, pinned
 * to that core (taskset), so a benchmark's server and its load generator do not share one.
 */
export async function spawnNodeServer(
  script: string,
  env: Record<string, string>,
  options: { cpu?: number; keepOutput?: boolean; nodeArgs?: string[]; maxOpenFiles?: number } = {},
): Promise<ServerProcess> {
  const node = [process.execPath, ...(options.nodeArgs ?? []), script];
  const limited = options.maxOpenFiles === undefined ? node : ['prlimit', `--nofile=${options.maxOpenFiles}`, ...node];
  const command = options.cpu === undefined ? limited : ['taskset', '-c', String(options.cpu), ...limited];
  const child = spawn(command[0]!, command.slice(1), {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (err += chunk));
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${err}`)), 20_000);
    const look = () => {
      const listening = /"url":"(http:[^"]+)".*"msg":"listening"/.exec(out);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]!);
        // Under a benchmark's load the log is hundreds of megabytes: drain it, keep none of it.
        if (options.keepOutput === false) child.stdout!.removeAllListeners('data').resume();
      }
    };
    child.stdout!.on('data', look);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}${err}`)));
  });
  return {
    child,
    url,
    stdout: () => out,
    stderr: () => err,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      const [code] = await exited;
      return code as number | null;
    },
  };
}

/** Runs a node script of ours; resolves with its exit code and output, whatever the code. */
export async function runNode(script: string, args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

export const admin = (args: string[], env: Record<string, string>) => runNode(CLI, args, env);
export const startMain = (env: Record<string, string>) => runNode(MAIN, [], env);
