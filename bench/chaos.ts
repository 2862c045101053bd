// `npm run chaos`: the compiled server on loopback, put through one fault after another, each
// checked against the invariants that must hold whatever a client or the machine does:
//
// - no property is delivered twice in a session;
// - a session's totalDelivered equals what clients received with a 200;
// - an acknowledged delete stays deleted;
// - nothing grows without bound: after each fault the server's descriptors return to where they
//   were, and its RSS stays under a fixed ceiling;
// - a well-behaved client from another address is served throughout.
//
// Each fault is a `ChaosCase` in `CASES`, with the same context and the same checks: faults of the
// connection (pipelining, floods, slow clients, guessed tokens) and of the store's file (the write
// lock held by another process; the file deleted, which comes last since writes are refused from
// then on). Bounded: every case stops by itself within a minute; `npm run chaos -- <name>…` runs only
// the named cases. Not part of `npm test`. The store cases need Debian's sqlite3 shell.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../server/spec.js';
import { openIdleConnection, pipelined, rawRequest, requestBytes, type RawResponse } from '../test/support/servers/raw-http.js';
import { spawnNodeServer, type ServerProcess } from '../test/support/servers/server-process.js';
import { holdWriteLock } from '../test/support/databases/sqlite-fixtures.js';

const SEARCH = '/api/v1/property/search';
const SESSIONS = '/api/v2/property/search-sessions';
/** Addresses on this machine (127.0.0.0/8): the faults come from one, the well-behaved client from another. */
const FAULT_ADDRESS = '127.0.0.1';
const CLIENT_ADDRESS = '127.0.0.2';
/** The server runs with few descriptors, so a fault that leaks them shows within the run. */
const SERVER_LIMITS = {
  maxOpenFiles: 1024,
  env: { HEADERS_TIMEOUT_MS: '2000', REQUEST_TIMEOUT_MS: '4000', KEEP_ALIVE_TIMEOUT_MS: '1000', MAX_CONNECTIONS: '800', MAX_CONNECTIONS_PER_ADDRESS: '400', AUTH_FAILURES_PER_MINUTE: '30' },
};
const RSS_CEILING_BYTES = 512 * 1024 * 1024;
/** Descriptors a case may leave open beyond the baseline (the store's, a pooled connection or two). */
const DESCRIPTOR_SLACK = 16;

/** What clients were told, per session: the ground truth the store is checked against. */
class DeliveryLedger {
  readonly received = new Map<string, number[]>();
  readonly deleted = new Set<string>();

  page(session: string, response: RawResponse): void {
    if (response.status !== 200) return;
    const ids = (response.body as { results: { properties: Array<{ id: number }> } }).results.properties.map((p) => p.id);
    this.received.set(session, [...(this.received.get(session) ?? []), ...ids]);
    this.deleted.delete(session);
  }

  delete(session: string, response: RawResponse): void {
    if (response.status !== 200) return;
    this.deleted.add(session);
    this.received.delete(session);
  }
}

export interface ChaosContext {
  server: ServerProcess;
  /** The server's SQLite file, for the faults a neighbour or an operator causes on it. */
  databaseFile: string;
  token: string;
  ledger: DeliveryLedger;
  /** One session page as the well-behaved client sends it. */
  page(session: string, take?: number, localAddress?: string): Promise<RawResponse>;
  /** Sends the well-behaved client's requests until `until` settles; resolves with their statuses. */
  meanwhile<T>(until: Promise<T>): Promise<{ result: T; statuses: number[] }>;
}

export interface ChaosCase {
  name: string;
  /** What the case does to the server, in a sentence for the report. */
  fault: string;
  /** Runs the fault; returns problems it saw itself (the shared invariants are checked after). */
  run(context: ChaosContext): Promise<string[]>;
}

const tally = (values: number[]) => Object.entries(values.reduce<Record<string, number>>((counts, value) => ((counts[value] = (counts[value] ?? 0) + 1), counts), {}));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request and how long its answer took. */
async function timed(request: Promise<RawResponse>): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const { status } = await request;
  return { status, ms: performance.now() - started };
}

/** Reads must not wait on another process's write lock; writes may, but only this long before a 503. */
const READ_BOUND_MS = 1_000;
const WRITE_BOUND_MS = 5_000;


const CASES: ChaosCase[] = [
  {
    name: 'pipelined-refused',
    fault: 'pages and deletes pipelined in one write with a request the parser refuses (a raw space)',
    async run({ server, token, ledger }) {
      const problems: string[] = [];
      const headers = { Host: 'chaos', Authorization: `Bearer ${token}` };
      const pageBytes = (session: string) =>
        requestBytes('POST', SEARCH, headers, JSON.stringify({ searchCriteria: { query: 'AZ' }, options: { take: 10, searchSession: session } }));
      const refused = requestBytes('GET', `${SESSIONS}?x=a b`, headers);
      for (let round = 0; round < 20; round++) {
        const session = `pipelined-${round % 5}`;
        const sequence = round % 4 === 3 ? [pageBytes(session), requestBytes('DELETE', `${SESSIONS}/${session}`, headers), refused] : [pageBytes(session), pageBytes(session), refused, pageBytes(session)];
        const responses = await pipelined(server.url, sequence, sequence.length);
        if (responses.length !== sequence.length) problems.push(`round ${round}: ${sequence.length} requests, ${responses.length} answers`);
        responses.forEach((response, i) => {
          if (sequence[i] === refused) return;
          if (sequence[i]!.subarray(0, 6).toString() === 'DELETE') ledger.delete(session, response);
          else ledger.page(session, response);
        });
      }
      return problems;
    },
  },
  {
    name: 'connection-flood',
    fault: '1,500 idle connections from one address, against 1,024 descriptors',
    async run({ server, meanwhile }) {
      const problems: string[] = [];
      const flood: Socket[] = [];
      const { statuses } = await meanwhile(
        (async () => {
          for (let i = 0; i < 1_500; i++) flood.push(await openIdleConnection(server.url, FAULT_ADDRESS));
          await sleep(1_000);
        })(),
      );
      const refused = flood.filter((socket) => socket.destroyed).length;
      if (refused < 1_500 - 400) problems.push(`only ${refused} of 1,500 flood connections were refused and closed`);
      if (statuses.some((status) => status !== 200)) problems.push(`the well-behaved client got ${JSON.stringify(tally(statuses))}`);
      for (const socket of flood) socket.destroy();
      return problems;
    },
  },
  {
    name: 'slow-clients',
    fault: '100 silent connections, 100 with headers stopped half-way, 100 with bodies stopped half-way',
    async run({ server, token, meanwhile }) {
      const problems: string[] = [];
      const answers = { silent: [] as string[], headers: [] as string[], body: [] as string[] };
      const slow = async (kind: keyof typeof answers, bytes: string) => {
        const socket = await openIdleConnection(server.url, FAULT_ADDRESS);
        let received = '';
        socket.removeAllListeners('data');
        socket.on('data', (chunk) => (received += chunk));
        socket.write(bytes);
        const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
        await Promise.race([closed, sleep(15_000)]);
        if (!socket.destroyed) problems.push(`a ${kind} connection was still open after 15 s`);
        socket.destroy();
        answers[kind].push(received.split(' ')[1] ?? 'nothing');
      };
      const all = Promise.all([
        ...Array.from({ length: 100 }, () => slow('silent', '')),
        ...Array.from({ length: 100 }, () => slow('headers', `GET ${SESSIONS} HTTP/1.1\r\nHost: chaos\r\n`)),
        ...Array.from({ length: 100 }, () =>
          slow('body', `POST ${SEARCH} HTTP/1.1\r\nHost: chaos\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"searchCriteria":`),
        ),
      ]);
      const { statuses } = await meanwhile(all);
      if (answers.silent.some((answer) => answer !== 'nothing')) problems.push(`silent connections were answered: ${JSON.stringify(tally(answers.silent.map(Number)))}`);
      for (const kind of ['headers', 'body'] as const) {
        if (answers[kind].some((answer) => answer !== '408')) problems.push(`${kind}: answers ${answers[kind].join(',')}`);
      }
      if (statuses.some((status) => status !== 200)) problems.push(`the well-behaved client got ${JSON.stringify(tally(statuses))}`);
      return problems;
    },
  },
  {
    name: 'failed-auth-flood',
    fault: '1,000 well-formed wrong tokens from one address',
    async run({ server, meanwhile }) {
      const problems: string[] = [];
      const { result } = await meanwhile(
        (async () => {
          const statuses: number[] = [];
          for (let i = 0; i < 1_000; i++) statuses.push((await rawRequest(server.url, SESSIONS, { method: 'GET', token: `bds_wrong${i}`, localAddress: FAULT_ADDRESS })).status);
          return statuses;
        })(),
      );
      const unauthorized = result.filter((status) => status === 401).length;
      // Each 401 cost the store a lookup; past the limit, the 429s cost none.
      if (unauthorized > 30) problems.push(`${unauthorized} lookups for one address in under a minute (limit 30)`);
      if (result.some((status) => status !== 401 && status !== 429)) problems.push(`answers ${JSON.stringify(tally(result))}`);
      return problems;
    },
  },
  {
    name: 'write-lock-held',
    fault: 'the sqlite3 shell holds the write lock (BEGIN EXCLUSIVE) for 5 s while reads and pages arrive',
    async run({ server, token, databaseFile, page }) {
      const problems: string[] = [];
      const reads: Array<{ status: number; ms: number }> = [];
      const writes: Array<{ status: number; ms: number }> = [];
      const lock = await holdWriteLock(databaseFile);
      const until = Date.now() + 5_000;
      try {
        while (Date.now() < until) {
          const [health, listed, written] = await Promise.all([
            timed(rawRequest(server.url, '/healthz', { method: 'GET', localAddress: CLIENT_ADDRESS })),
            timed(rawRequest(server.url, `${SESSIONS}?take=10`, { method: 'GET', token, localAddress: CLIENT_ADDRESS })),
            timed(page('under-lock')),
          ]);
          reads.push(health, listed);
          writes.push(written);
        }
      } finally {
        await lock.release();
      }
      const slowReads = reads.filter((read) => read.status !== 200 || read.ms > READ_BOUND_MS);
      if (slowReads.length) problems.push(`${slowReads.length} of ${reads.length} reads failed or took over ${READ_BOUND_MS} ms: ${JSON.stringify(slowReads.slice(0, 5))}`);
      const badWrites = writes.filter((write) => (write.status !== 503 && write.status !== 200) || write.ms > WRITE_BOUND_MS);
      if (badWrites.length) problems.push(`writes under the lock: ${JSON.stringify(badWrites.slice(0, 5))} (503 within ${WRITE_BOUND_MS} ms expected)`);
      if (!writes.some((write) => write.status === 503)) problems.push('no write was refused while the lock was held');
      const after = await page('under-lock');
      if (after.status !== 200) problems.push(`the lock released, a page still answered ${after.status}`);
      console.log(`       under the lock: reads ${JSON.stringify(tally(reads.map((r) => r.status)))}, slowest ${Math.max(...reads.map((r) => r.ms)).toFixed(0)} ms; writes ${JSON.stringify(tally(writes.map((w) => w.status)))}, slowest ${Math.max(...writes.map((w) => w.ms)).toFixed(0)} ms`);
      return problems;
    },
  },
  {
    // Last: from here on the server refuses every write, as it must.
    name: 'database-deleted',
    fault: 'the database file, its WAL and shared memory deleted under the running server',
    async run({ server, token, databaseFile, page }) {
      const problems: string[] = [];
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${databaseFile}${suffix}`, { force: true });
      let ready = 200;
      for (let waited = 0; ready !== 503 && waited < 10_000; waited += 250) {
        await sleep(250);
        ready = (await rawRequest(server.url, '/readyz', { method: 'GET', localAddress: CLIENT_ADDRESS })).status;
      }
      if (ready !== 503) problems.push('/readyz still answered ready 10 s after the file was deleted');
      const written = await page('after-deletion');
      if (written.status !== 503) problems.push(`a page into the deleted file answered ${written.status}, not 503`);
      const removed = await rawRequest(server.url, `${SESSIONS}/well-behaved`, { method: 'DELETE', token, localAddress: CLIENT_ADDRESS });
      if (removed.status !== 503) problems.push(`a delete in the deleted file answered ${removed.status}, not 503`);
      if (existsSync(databaseFile)) problems.push('the server made a new, empty database file in its place');
      return problems;
    },
  },
];

function descriptors(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

function rssBytes(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) * 1024;
}

/** The shared invariants, against what the store now says. */
async function checkInvariants(context: ChaosContext, baselineDescriptors: number): Promise<string[]> {
  const problems: string[] = [];
  const listed = await rawRequest(context.server.url, `${SESSIONS}?take=100`, { method: 'GET', token: context.token, localAddress: CLIENT_ADDRESS });
  const sessions = new Map((listed.body as { results: { sessions: Array<{ id: string; totalDelivered: number }> } }).results.sessions.map((s) => [s.id, s.totalDelivered]));
  for (const [session, ids] of context.ledger.received) {
    if (new Set(ids).size !== ids.length) problems.push(`${session}: ${ids.length - new Set(ids).size} properties delivered twice`);
    if (sessions.get(session) !== ids.length) problems.push(`${session}: totalDelivered ${sessions.get(session)}, clients received ${ids.length}`);
  }
  for (const session of context.ledger.deleted) if (sessions.has(session)) problems.push(`${session}: deleted (200) but listed again`);
  const pid = context.server.child.pid!;
  // Connections the case closed take a moment to leave the server (the refusals linger 1 s).
  let open = descriptors(pid);
  for (let waited = 0; open > baselineDescriptors + DESCRIPTOR_SLACK && waited < 10_000; waited += 250) {
    await sleep(250);
    open = descriptors(pid);
  }
  if (open > baselineDescriptors + DESCRIPTOR_SLACK) problems.push(`${open} descriptors open, ${baselineDescriptors} before`);
  if (rssBytes(pid) > RSS_CEILING_BYTES) problems.push(`RSS ${(rssBytes(pid) / 1048576).toFixed(0)} MB, over the ${RSS_CEILING_BYTES / 1048576} MB ceiling`);
  return problems;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const cases = only.length ? CASES.filter((c) => only.includes(c.name)) : CASES;
  if (cases.length === 0) throw new Error(`no such case; the cases are ${CASES.map((c) => c.name).join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'bd-chaos-'));
  const databaseFile = join(dir, 'chaos.db');
  const server = await spawnNodeServer(
    join(PACKAGE_ROOT, 'dist/server/main.js'),
    { DATABASE_URL: `sqlite:${databaseFile}`, NODE_ENV: 'production', LOG_LEVEL: 'info', ...SERVER_LIMITS.env },
    { maxOpenFiles: SERVER_LIMITS.maxOpenFiles, keepOutput: false },
  );
  let failed = 0;
  try {
    const token = /^ {2}(bds_\S+)$/m.exec(server.stdout())![1]!;
    const ledger = new DeliveryLedger();
    const context: ChaosContext = {
      server,
      databaseFile,
      token,
      ledger,
      async page(session, take = 10, localAddress = CLIENT_ADDRESS) {
        const body = JSON.stringify({ searchCriteria: { query: 'AZ' }, options: { take, searchSession: session } });
        const response = await rawRequest(server.url, SEARCH, {
          method: 'POST',
          token,
          localAddress,
          headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) },
          body,
        });
        ledger.page(session, response);
        return response;
      },
      async meanwhile(until) {
        let settled = false;
        const statuses: number[] = [];
        const done = until.finally(() => (settled = true));
        while (!settled) {
          statuses.push((await context.page('well-behaved')).status);
          await sleep(100);
        }
        return { result: await done, statuses };
      },
    };
    const baseline = descriptors(server.child.pid!);
    console.log(`server ${server.url}, pid ${server.child.pid}, ${baseline} descriptors open at start\n`);
    for (const chaosCase of cases) {
      const started = Date.now();
      const problems = [...(await chaosCase.run(context)), ...(await checkInvariants(context, baseline))];
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const rss = (rssBytes(server.child.pid!) / 1048576).toFixed(0);
      console.log(`${problems.length ? 'FAIL' : 'ok  '} ${chaosCase.name} (${seconds} s, RSS ${rss} MB, ${descriptors(server.child.pid!)} descriptors): ${chaosCase.fault}`);
      for (const problem of problems) console.log(`       ${problem}`);
      if (problems.length) failed++;
    }
    const sessions = [...ledger.received].map(([id, ids]) => `${id} ${ids.length}`).join(', ');
    console.log(`\nreceived with 200 and matched to totalDelivered: ${sessions}`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(failed ? `\n${failed} of ${cases.length} cases failed` : `\nall ${cases.length} cases held every invariant`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
