// Stoplight Prism in proxy mode in front of a server: every response passes through it and is
// validated against openapi.yaml. Prism never blocks a response here (--errors=false); it reports
// what it finds twice, both read by the tests: in an `sl-violations` header on the response, and in
// its log, which is the only place some findings (an undocumented status) appear as more than a
// warning nobody reads.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { SPEC_PATH } from '../../../server/spec.js';
import type { RawResponse } from '../../support/servers/raw-http.js';
import { freeLoopbackPort } from '../../support/servers/loopback.js';
import { OFFLINE_ENV, toolEntry } from './tools.js';

const START_TIMEOUT_MS = 30_000;
const LOG_SETTLE_TIMEOUT_MS = 5_000;
export const ROUTE_NOT_FOUND = 'Selected route not found';

/** One finding as Prism puts it in the `sl-violations` header. */
export interface PrismVerdict {
  location: string[];
  severity: string;
  code?: string;
  message: string;
}

/** One `Violation:` line of Prism's log. */
export interface LoggedViolation {
  severity: string;
  /** Dotted, e.g. `response.body.results.deleted`, `response`, `request`. */
  location: string;
  message: string;
}

export interface PrismProxy {
  url: string;
  log(): string;
  loggedViolations(): LoggedViolation[];
  /** How many requests Prism's HTTP server logged as received. */
  requestsReceived(): number;
  /** Resolves once Prism has logged `count` requests (its log trails its responses a little). */
  settle(count: number): Promise<void>;
  stop(): Promise<void>;
}

// Prism colours its log only on a terminal, but FORCE_COLOR in a developer's environment would put
// escapes between the words matched below.
const ANSI = /\x1b\[[0-9;]*m/g;
const VIOLATION = /\[VALIDATOR\]\s+\S+\s+(\w+)\s+Violation: (\S+) (.*)$/;

export function verdictsOf(response: RawResponse): PrismVerdict[] {
  const header = response.headers['sl-violations'];
  return header ? (JSON.parse(header) as PrismVerdict[]) : [];
}

export const responseVerdicts = (response: RawResponse) => verdictsOf(response).filter((verdict) => verdict.location[0] === 'response');
export const wasRouted = (response: RawResponse) => !verdictsOf(response).some((verdict) => verdict.message === ROUTE_NOT_FOUND);

// A worker that dies without its afterAll must not leave a Prism behind.
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export async function startPrismProxy(upstreamUrl: string): Promise<PrismProxy> {
  const port = await freeLoopbackPort();
  const child = spawn(
    process.execPath,
    [
      toolEntry('prism'),
      'proxy',
      SPEC_PATH,
      upstreamUrl,
      '--errors=false',
      // Request validation is off: the failure cases break the request on purpose, and Prism's
      // request validator throws on a malformed escape such as %ZZ in a path (URIError from
      // uri-template-lite), which takes the whole proxy down. Responses are validated either way.
      '--validate-request=false',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    { env: OFFLINE_ENV, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString('utf8').replace(ANSI, '')));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString('utf8').replace(ANSI, '')));
  const exited = once(child, 'exit');

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`Prism did not start in ${START_TIMEOUT_MS} ms:\n${log}`)), START_TIMEOUT_MS);
    const onExit = (code: number | null) => fail(new Error(`Prism exited with ${code}:\n${log}`));
    const onData = () => {
      if (!log.includes('Prism is listening on')) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout!.off('data', onData);
      resolve();
    };
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });

  const lines = () => log.split('\n');
  const requestsReceived = () => lines().filter((line) => line.includes('[HTTP SERVER]') && line.includes('Request received')).length;
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => log,
    loggedViolations: () =>
      lines().flatMap((line) => {
        const match = VIOLATION.exec(line);
        return match ? [{ severity: match[1]!, location: match[2]!, message: match[3]! }] : [];
      }),
    requestsReceived,
    async settle(count) {
      const deadline = Date.now() + LOG_SETTLE_TIMEOUT_MS;
      while (requestsReceived() < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      // The violation lines of the last request follow its "received" line.
      await new Promise((resolve) => setTimeout(resolve, 200));
    },
    async stop() {
      running.delete(child);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
