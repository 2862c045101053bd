// A throwaway redis-server for tests on a free loopback port, with persistence off: the rate-limit
// counters it holds are worth nothing after the test. It can be stopped and started again on the
// same port, which is how the fault tests take Redis away.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { freeLoopbackPort } from '../servers/loopback.js';

const READY_TIMEOUT_MS = 10_000;

export interface RedisServer {
  port: number;
  url: string;
  /** Stops the server (SIGTERM: clients see their connection closed). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** SIGSTOP: connections stay open but nothing is answered, as with a hung host. */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
}

export function findRedisServer(): string | null {
  const candidates = [
    ...(process.env.REDIS_SERVER ? [process.env.REDIS_SERVER] : []),
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'redis-server')),
    '/usr/bin/redis-server',
    '/usr/local/bin/redis-server',
  ];
  return candidates.find((candidate) => existsSync(candidate)) ?? null;
}

function waitUntilReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`redis-server not ready after ${READY_TIMEOUT_MS} ms: ${output}`)), READY_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const exited = (code: number | null) => fail(new Error(`redis-server exited with ${code}: ${output}`));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.off('exit', exited);
        resolve();
      }
    });
    child.once('exit', exited);
  });
}

// A worker that dies without its afterAll must not leave a redis-server behind.
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export async function startRedisServer(): Promise<RedisServer> {
  const binary = findRedisServer();
  if (!binary) throw new Error('redis-server not found; install redis-server or set REDIS_SERVER.');
  const port = await freeLoopbackPort();
  let child: ChildProcess | null = null;

  const start = async () => {
    const started = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitUntilReady(started);
    started.stdout!.resume();
    started.stderr!.resume();
    child = started;
    running.add(started);
  };
  const stop = async () => {
    const stopping = child;
    child = null;
    if (!stopping || stopping.exitCode !== null) return;
    running.delete(stopping);
    const exited = once(stopping, 'exit');
    stopping.kill('SIGTERM');
    // A frozen server would never act on the SIGTERM.
    stopping.kill('SIGCONT');
    await exited;
  };
  const signal = (name: NodeJS.Signals) => () => void child?.kill(name);
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, start, stop, freeze: signal('SIGSTOP'), thaw: signal('SIGCONT') };
}
