// A session's pages against a model of what it has been delivered. The SQLite store writes down
// only the ids delivered by queries other than the session's first (its implicit query): the
// first's are all its matches up to its cursor. Whatever the order of queries, page sizes and
// imports in between, no property may come twice, and a query's page must be exactly its next
// matches the session does not have yet. Sessions that delivered before implicit queries existed
// (every id written down, no implicit query) must go on exactly as before.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { parseSearchQuery, type PropertyQuery } from '../../server/store/query.js';
import type { NewProperty, Store } from '../../server/store/store.js';
import { batchesOf, syntheticList } from '../support/search.js';
import { freshStoreEachTest } from '../support/databases/temp-store.js';

const context = freshStoreEachTest();
const QUERIES = ['AZ', 'TX', 'Phoenix, AZ', 'Austin, TX', '85020', '78701'];

function matches(query: PropertyQuery, property: NewProperty): boolean {
  if (query.kind === 'zip') return property.address.zip === query.zip;
  if (query.kind === 'state') return property.address.state === query.state;
  return property.address.state === query.state && property.address.city.toLowerCase() === query.city;
}

type Step = { kind: 'page'; query: string; take: number } | { kind: 'import'; count: number };

async function walk(store: Store, teamId: number, sessionId: string, all: NewProperty[], imported: number, steps: Step[]) {
  const delivered = new Set<number>();
  for (const step of steps) {
    if (step.kind === 'import') {
      const next = all.slice(imported, imported + step.count);
      await store.importProperties(batchesOf(next));
      imported += next.length;
      continue;
    }
    const query = parseSearchQuery(step.query)!;
    const outcome = await store.deliver({ teamId, sessionId, query, take: step.take });
    if (outcome.kind !== 'delivered') throw new Error(outcome.kind);
    const expected = all
      .slice(0, imported)
      .flatMap((property, i) => (matches(query, property) && !delivered.has(i + 1) ? [i + 1] : []))
      .slice(0, step.take);
    expect(outcome.properties.map((p) => p.id)).toEqual(expected);
    for (const id of expected) delivered.add(id);
  }
  return { delivered, imported };
}

const steps = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('page' as const), query: fc.constantFrom(...QUERIES), take: fc.integer({ min: 1, max: 60 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('import' as const), count: fc.integer({ min: 1, max: 200 }) }) },
  ),
  { minLength: 1, maxLength: 25 },
);

it('delivers each query its next undelivered matches, none twice, whatever the order of queries', async () => {
  const all = await syntheticList(3_000, 7);
  let imported = 1_000;
  await context.store.importProperties(batchesOf(all.slice(0, imported)));
  const team = await context.store.createTeam('walks');
  let n = 0;
  for (const sample of fc.sample(steps, { numRuns: 25, seed: 5 })) {
    const walked = await walk(context.store, team.id, `walk-${n++}`, all, imported, sample);
    imported = walked.imported;
  }
});

it('goes on as before for a session that wrote down every id (one made before implicit queries)', async () => {
  const all = await syntheticList(1_500, 9);
  await context.store.importProperties(batchesOf(all));
  const team = await context.store.createTeam('legacy');
  const first = parseSearchQuery('AZ')!;
  const page = await context.store.deliver({ teamId: team.id, sessionId: 'old', query: first, take: 40 });
  if (page.kind !== 'delivered') throw new Error(page.kind);
  // Make it look as an older release left it: its ids written down, no implicit query.
  const db = new Database(context.temp.file);
  db.prepare('UPDATE sessions SET implicit_query = NULL').run();
  const insert = db.prepare('INSERT INTO delivered (session_key, property_id) SELECT session_key, ? FROM sessions WHERE id = ?');
  for (const property of page.properties) insert.run(property.id, 'old');
  db.close();
  const model = new Set(page.properties.map((p) => p.id));
  for (const [text, take] of [['Phoenix, AZ', 30], ['AZ', 50], ['85020', 20], ['AZ', 500]] as const) {
    const query = parseSearchQuery(text)!;
    const outcome = await context.store.deliver({ teamId: team.id, sessionId: 'old', query, take });
    if (outcome.kind !== 'delivered') throw new Error(outcome.kind);
    const expected = all.flatMap((property, i) => (matches(query, property) && !model.has(i + 1) ? [i + 1] : [])).slice(0, take);
    expect(outcome.properties.map((p) => p.id)).toEqual(expected);
    for (const id of expected) model.add(id);
  }
});
