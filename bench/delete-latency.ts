// Delete latency: an empty session against one with 1,000,000 delivered ids, and the two 404s
// (an id that exists nowhere, one that exists for another team) — all through HTTP against the
// compiled server on SQLite in its own process, interleaved in one run, reported as ratios to the
// empty delete. The server runs apart from this client so that its background purge, which starts
// right after a delete has answered, is never charged to the client's clock.
//
//   npm run bench:delete [-- --rounds 15 --delivered 1000000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { issueToken } from '../server/admin/issue-token.js';
import { openStore } from '../server/store/open-store.js';
import { spawnServer } from '../test/support/server-process.js';
import { eventually, fillDelivered, purgeQueue } from '../test/support/sqlite-fixtures.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' }, delivered: { type: 'string', default: '1000000' } } });
const rounds = Number(values.rounds);
const delivered = Number(values.delivered);

const dir = mkdtempSync(join(tmpdir(), 'bd-bench-'));
const dbPath = join(dir, 'bench.db');
// This process writes fixtures through its own connection; the server has its own, as in production.
const store = await openStore(`sqlite:${dbPath}`, { purge: false });
const team = await store.createTeam('bench');
const other = await store.createTeam('bench-other');
const { token } = await issueToken(store, team.id, ['property-search-sessions']);
const server = await spawnServer({ DATABASE_URL: `sqlite:${dbPath}`, RATE_LIMIT_PER_MINUTE: '1000000', NODE_ENV: 'production' });

async function send(id: string): Promise<number> {
  const response = await fetch(`${server.url}/api/v2/property/search-sessions/${id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response.status;
}

async function timedDelete(id: string, expected: number): Promise<number> {
  // Each figure is the delete alone: any earlier purge has finished, and an untimed request has
  // absorbed the first read after it (after a 1,000,000-row purge that read costs about 1 ms more,
  // whichever kind of request it is).
  await eventually(() => purgeQueue(dbPath).length === 0, 60_000, 'purge did not drain');
  await send('untimed-warm-up');
  const started = process.hrtime.bigint();
  const status = await send(id);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (status !== expected) throw new Error(`DELETE ${id}: ${status}, expected ${expected}`);
  return ms;
}

type Kind = 'empty' | 'full' | 'missing' | 'foreign';
const kinds: Kind[] = ['empty', 'full', 'missing', 'foreign'];
const samples: Record<Kind, number[]> = { empty: [], full: [], missing: [], foreign: [] };
for (let round = 0; round < rounds + 2; round++) {
  await store.createSession(team.id, `empty-${round}`);
  await store.createSession(team.id, `full-${round}`);
  fillDelivered(dbPath, team.id, `full-${round}`, delivered);
  await store.createSession(other.id, `foreign-${round}`);
  const expected: Record<Kind, [string, number]> = {
    empty: [`empty-${round}`, 200],
    full: [`full-${round}`, 200],
    missing: [`missing-${round}`, 404],
    foreign: [`foreign-${round}`, 404],
  };
  // A different kind goes first each round, so no kind is favoured by its position.
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[(round + i) % kinds.length]!;
    const ms = await timedDelete(...expected[kind]);
    if (round >= 2) samples[kind].push(ms); // the first two rounds warm up
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const baseline = median(samples.empty);
console.log(`Delete latency, ${rounds} interleaved rounds, median per kind, ratio to the empty-session delete in this run:`);
for (const [name, label] of [
  ['empty', 'empty session (baseline)'],
  ['full', `session with ${delivered.toLocaleString('en-US')} delivered ids`],
  ['missing', '404, id exists nowhere'],
  ['foreign', "404, id exists for another team"],
] as const) {
  const m = median(samples[name]);
  console.log(`  ${label.padEnd(44)} ${m.toFixed(2).padStart(7)} ms   ×${(m / baseline).toFixed(2)}`);
}

await server.stop();
await store.close();
rmSync(dir, { recursive: true, force: true });
