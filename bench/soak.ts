// `npm run soak`: the compiled server on a scratch SQLite file under mixed load on loopback for a
// bounded time (10 minutes; `--minutes N` or SOAK_MINUTES), sampling the server's RSS and heap, the
// database and WAL sizes and the idempotency and delivered-id row counts, and checking, request by
// request, what a client must be able to rely on:
// - no property is delivered twice in a session (between its deletes);
// - totalDelivered always equals what this client received with 200 for that session;
// - a retry with the same Idempotency-Key (within the window) answers the same page;
// - an acknowledged delete stays deleted (a second DELETE is a 404, the list no longer has it);
// - nothing grows without bound: each sampled figure levels off (slopes per minute reported).
// Half the sessions are deleted every few pages; the other half are kept and, once they have every
// property of their state, polled on with a fresh key each time, as the SDK does.
// Exits 1 when any of these fails. Not part of `npm test`.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../server/spec.js';
import { spawnNodeServer, type ServerProcess } from '../test/support/servers/server-process.js';
import { levelsOff, slopePerMinute, type Sample } from './soak/growth.js';

const SEARCH = '/api/v1/property/search';
const SESSIONS = '/api/v2/property/search-sessions';
const STATES = ['AZ', 'CA', 'TX', 'FL', 'NY', 'IL', 'WA', 'CO'];

function minutesToRun(): number {
  const flag = process.argv.indexOf('--minutes');
  const raw = flag >= 0 ? process.argv[flag + 1] : process.env.SOAK_MINUTES;
  const minutes = raw === undefined ? 10 : Number(raw);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 120) throw new Error(`--minutes / SOAK_MINUTES must be a number in (0, 120] (got "${raw}")`);
  return minutes;
}

const MINUTES = minutesToRun();
const WORKERS = Number(process.env.SOAK_WORKERS ?? 6);
const SESSIONS_PER_WORKER = 6;
/** Short, so the idempotency rows reach their plateau well inside a few minutes' run. */
const IDEMPOTENCY_WINDOW_SECONDS = process.env.SOAK_IDEMPOTENCY_WINDOW_SECONDS ?? '60';
const SAMPLE_EVERY_MS = 5_000;
const PAUSE_BETWEEN_REQUESTS_MS = 5;

interface OwnedSession {
  id: string;
  /** Never deleted: paged until it has everything, then polled on (the "session polled daily"). */
  kept: boolean;
  query: string;
  /** Property ids this client received for the session since it was (re)created. */
  received: Set<number>;
  pagesSinceDelete: number;
  exists: boolean;
  lastPage: { key: string; ids: number[]; totalBefore: number } | null;
}

const violations: string[] = [];
const statuses = new Map<string, number>();
const violation = (message: string) => {
  violations.push(message);
  if (violations.length <= 20) console.error(`VIOLATION: ${message}`);
};
const count = (label: string) => statuses.set(label, (statuses.get(label) ?? 0) + 1);

async function call(url: string, init: RequestInit, label: string): Promise<{ status: number; body: any }> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
    const body = await response.json().catch(() => null);
    count(`${label} ${response.status}`);
    return { status: response.status, body };
  } catch (error) {
    count(`${label} no answer`);
    violation(`${label}: no answer (${(error as Error).message})`);
    return { status: 0, body: null };
  }
}

async function worker(server: ServerProcess, token: string, w: number, until: number): Promise<void> {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const owned: OwnedSession[] = Array.from({ length: SESSIONS_PER_WORKER }, (_, k) => ({
    id: `soak-${w}-${k}`,
    kept: k < SESSIONS_PER_WORKER / 2,
    query: STATES[(w + k) % STATES.length]!,
    received: new Set(),
    pagesSinceDelete: 0,
    exists: false,
    lastPage: null,
  }));
  const pageOf = async (session: OwnedSession, key: string) =>
    call(
      `${server.url}${SEARCH}`,
      {
        method: 'POST',
        headers: { ...headers, 'Idempotency-Key': key },
        body: JSON.stringify({ searchCriteria: { query: session.query }, options: { take: 25, searchSession: session.id } }),
      },
      'page',
    );

  for (let i = 0; performance.now() < until; i++) {
    // Each session in turn gets ten steps: six pages, a retry, a list, a plain search, and (half of
    // the sessions) a delete.
    const session = owned[Math.floor(i / 10) % owned.length]!;
    const action = i % 10;
    if (action <= 5) {
      const key = `${session.id}-${i}`;
      const { status, body } = await pageOf(session, key);
      if (status !== 200) {
        violation(`page of ${session.id}: status ${status}`);
      } else {
        const meta = body.results.meta.searchSession;
        const ids: number[] = body.results.properties.map((p: { id: number }) => p.id);
        if (meta.totalDelivered !== session.received.size) {
          violation(`${session.id}: totalDelivered ${meta.totalDelivered}, but this client received ${session.received.size}`);
        }
        const twice = ids.filter((id) => session.received.has(id));
        if (twice.length > 0) violation(`${session.id}: delivered again: ${twice.slice(0, 5).join(', ')}`);
        ids.forEach((id) => session.received.add(id));
        session.exists = true;
        session.pagesSinceDelete++;
        session.lastPage = ids.length > 0 ? { key, ids, totalBefore: meta.totalDelivered } : null;
      }
    } else if (action === 6 && session.lastPage) {
      // A retry of the last page that delivered something (the answer "lost"): the same page.
      const { key, ids, totalBefore } = session.lastPage;
      const { status, body } = await pageOf(session, key);
      const again: number[] = status === 200 ? body.results.properties.map((p: { id: number }) => p.id) : [];
      if (status !== 200 || JSON.stringify(again) !== JSON.stringify(ids) || body.results.meta.searchSession.totalDelivered !== totalBefore) {
        violation(`${session.id}: the retry of ${key} did not answer the same page (status ${status})`);
      }
    } else if (action === 7) {
      const { status, body } = await call(`${server.url}${SESSIONS}?take=100`, { headers }, 'list');
      if (status !== 200) {
        violation(`list: status ${status}`);
      } else {
        const listed = new Map<string, number>(body.results.sessions.map((s: { id: string; totalDelivered: number }) => [s.id, s.totalDelivered]));
        for (const mine of owned) {
          if (!mine.exists && listed.has(mine.id)) violation(`${mine.id}: deleted, but listed`);
          if (mine.exists && listed.get(mine.id) !== mine.received.size) {
            violation(`${mine.id}: listed with totalDelivered ${listed.get(mine.id)}, but this client received ${mine.received.size}`);
          }
        }
      }
    } else if (action === 8) {
      const skip = (i * 37) % 2_000;
      const { status } = await call(
        `${server.url}${SEARCH}`,
        { method: 'POST', headers, body: JSON.stringify({ searchCriteria: { query: session.query }, options: { skip, take: 25 } }) },
        'search',
      );
      if (status !== 200) violation(`plain search: status ${status}`);
    } else if (action === 9 && !session.kept && session.exists && session.pagesSinceDelete >= 4) {
      const url = `${server.url}${SESSIONS}/${session.id}`;
      const first = await call(url, { method: 'DELETE', headers }, 'delete');
      if (first.status !== 200) violation(`delete ${session.id}: status ${first.status}`);
      const second = await call(url, { method: 'DELETE', headers }, 'delete again');
      if (second.status !== 404) violation(`delete ${session.id} again: status ${second.status}, the delete did not stay`);
      Object.assign(session, { received: new Set(), pagesSinceDelete: 0, exists: false, lastPage: null });
    }
    await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_REQUESTS_MS));
  }
}

interface Figures {
  rss: number;
  heapUsed: number;
  dbBytes: number;
  walBytes: number;
  idempotencyRows: number;
  deliveredRows: number;
}

function sample(server: ServerProcess, dbPath: string): Figures {
  const probes = server.stderr().trimEnd().split('\n').filter((line) => line.includes('"soakProbe"'));
  const probe = probes.length > 0 ? JSON.parse(probes.at(-1)!).soakProbe : { rss: 0, heapUsed: 0 };
  const size = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = (table: string) => db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get()!;
    return {
      rss: probe.rss,
      heapUsed: probe.heapUsed,
      dbBytes: size(dbPath),
      walBytes: size(`${dbPath}-wal`),
      idempotencyRows: rows('idempotent_pages'),
      deliveredRows: rows('delivered'),
    };
  } finally {
    db.close();
  }
}

/** How much each figure may still rise from the middle third to the last third and count as level. */
const LEVEL: Record<keyof Figures, { tolerance: number; slack: number; unit: 'bytes' | 'rows' }> = {
  rss: { tolerance: 0.1, slack: 8 * 2 ** 20, unit: 'bytes' },
  heapUsed: { tolerance: 0.1, slack: 8 * 2 ** 20, unit: 'bytes' },
  dbBytes: { tolerance: 0.05, slack: 512 * 1024, unit: 'bytes' },
  walBytes: { tolerance: 0.1, slack: 4 * 2 ** 20, unit: 'bytes' },
  idempotencyRows: { tolerance: 0.1, slack: 200, unit: 'rows' },
  deliveredRows: { tolerance: 0.1, slack: 5_000, unit: 'rows' },
};

const format = (value: number, unit: 'bytes' | 'rows') =>
  unit === 'bytes' ? `${(value / 1024).toLocaleString('en', { maximumFractionDigits: 0 })} KB` : value.toLocaleString('en', { maximumFractionDigits: 0 });

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bd-soak-'));
  const dbPath = join(dir, 'soak.db');
  // The whole run ends by itself: the load stops at its deadline, and this cap catches a hang.
  const hardCap = setTimeout(() => {
    console.error('soak: did not finish within its time cap; stopping.');
    process.exit(2);
  }, (MINUTES + 3) * 60_000).unref();
  const server = await spawnNodeServer(
    join(PACKAGE_ROOT, 'dist/server/main.js'),
    {
      DATABASE_URL: `sqlite:${dbPath}`,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info', // as in production; drained, not kept
      RATE_LIMIT_PER_MINUTE: '100000000',
      IDEMPOTENCY_WINDOW_SECONDS,
    },
    { keepOutput: false, nodeArgs: ['--import', join(PACKAGE_ROOT, 'dist/bench/soak/memory-probe.js')] },
  );
  try {
    const token = /\n {2}(bds_[A-Za-z0-9_-]+)\n/.exec(server.stdout())?.[1];
    if (!token) throw new Error('the server did not print its demo token');
    console.log(`soak: ${MINUTES} min, ${WORKERS} workers × ${SESSIONS_PER_WORKER} sessions, idempotency window ${IDEMPOTENCY_WINDOW_SECONDS} s, ${server.url}`);

    const started = performance.now();
    const until = started + MINUTES * 60_000;
    const samples: Array<{ minute: number; figures: Figures }> = [];
    const sampler = setInterval(() => {
      const minute = (performance.now() - started) / 60_000;
      const figures = sample(server, dbPath);
      samples.push({ minute, figures });
      if (samples.length % Math.round(60_000 / SAMPLE_EVERY_MS) === 0) {
        console.log(
          `  ${minute.toFixed(1)} min: rss ${format(figures.rss, 'bytes')}, heap ${format(figures.heapUsed, 'bytes')}, db ${format(figures.dbBytes, 'bytes')}, ` +
            `wal ${format(figures.walBytes, 'bytes')}, idempotency rows ${figures.idempotencyRows}, delivered rows ${figures.deliveredRows}`,
        );
      }
    }, SAMPLE_EVERY_MS);
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(server, token, w, until)));
    clearInterval(sampler);

    const requests = [...statuses.values()].reduce((a, b) => a + b, 0);
    console.log(`\n${requests.toLocaleString('en')} requests in ${MINUTES} min (${Math.round(requests / (MINUTES * 60))}/s):`);
    for (const [label, n] of [...statuses].sort()) console.log(`  ${label.padEnd(18)} ${n.toLocaleString('en').padStart(9)}`);

    console.log('\nfigure            first        peak         last      slope/min (all)   slope/min (last half)  level?');
    let growing = 0;
    for (const name of Object.keys(LEVEL) as Array<keyof Figures>) {
      const { tolerance, slack, unit } = LEVEL[name];
      const series: Sample[] = samples.map(({ minute, figures }) => ({ minute, value: figures[name] }));
      const lastHalf = series.slice(Math.floor(series.length / 2));
      const level = levelsOff(series, tolerance, slack);
      if (!level) growing++;
      console.log(
        `  ${name.padEnd(16)}${format(series[0]?.value ?? 0, unit).padStart(11)}${format(Math.max(...series.map((s) => s.value)), unit).padStart(13)}` +
          `${format(series.at(-1)?.value ?? 0, unit).padStart(13)}${format(slopePerMinute(series), unit).padStart(16)}` +
          `${format(slopePerMinute(lastHalf), unit).padStart(22)}   ${level ? 'yes' : 'NO: still growing'}`,
      );
    }
    console.log(`\ninvariant violations: ${violations.length}; figures still growing: ${growing}`);
    process.exitCode = violations.length > 0 || growing > 0 ? 1 : 0;
  } finally {
    await server.stop();
    clearTimeout(hardCap);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
