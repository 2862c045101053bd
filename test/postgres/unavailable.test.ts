// When PostgreSQL cannot answer, the store says so with StoreUnavailableError (a 503 upstream),
// within seconds and never by hanging; bugs stay plain errors (a 500); and the same store object
// works again once the database is back, with no restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATEMENT_TIMEOUT_MS } from '../../server/store/postgres/pool.js';
import { isUnavailable } from '../../server/store/postgres/unavailable.js';
import { openStore } from '../../server/store/open-store.js';
import { StoreUnavailableError, type Store } from '../../server/store/store.js';
import { withClient } from '../support/databases/postgres-fixtures.js';
import { storeWithTeam, usePostgresCluster } from '../support/databases/postgres-suite.js';
import { describeWithServices } from '../support/databases/required-services.js';

describe('isUnavailable (PostgreSQL)', () => {
  const withCode = (code: string) => Object.assign(new Error(code), { code });

  it('recognises connection failures, shutdowns and our own timeouts', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001', '53300', '57014', '40P01']) {
      expect(isUnavailable(withCode(code)), code).toBe(true);
    }
    expect(isUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isUnavailable(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]))).toBe(true);
  });

  it('leaves bugs and constraint violations alone', () => {
    for (const code of ['23505', '42P01', '42601', '22P02', 'ENOENT']) expect(isUnavailable(withCode(code)), code).toBe(false);
    expect(isUnavailable(new TypeError('x'))).toBe(false);
    expect(isUnavailable(null)).toBe(false);
    expect(isUnavailable('ECONNREFUSED')).toBe(false);
  });
});

describeWithServices('postgres')('a PostgreSQL store whose database goes away', () => {
  const postgres = usePostgresCluster();
  let url: string;
  let store: Store;
  let teamId: number;

  beforeAll(async () => {
    url = await postgres.freshDatabase();
    ({ store, teamId } = await storeWithTeam(url, { onPurgeError: () => undefined }));
    await store.createSession(teamId, 'kept');
  });
  afterAll(async () => {
    await store?.close();
  });

  async function failure(work: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
    const started = performance.now();
    const error = await work().then(
      () => null,
      (caught: unknown) => caught,
    );
    return { error, ms: performance.now() - started };
  }

  it.each(['fast', 'immediate'] as const)('answers StoreUnavailableError at once while stopped (%s), then works again by itself', async (mode) => {
    await postgres.cluster.stop(mode);
    try {
      const calls: Array<() => Promise<unknown>> = [
        () => store.ping(),
        () => store.listSessions(teamId, 0, 10),
        () => store.deleteSession(teamId, 'missing'),
        () => store.deliver({ teamId, sessionId: 'kept', query: { kind: 'zip', zip: '85020' }, take: 5 }),
        () => store.findPrincipal('0'.repeat(64)),
      ];
      for (const call of calls) {
        const { error, ms } = await failure(call);
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect(ms).toBeLessThan(4_000);
      }
    } finally {
      await postgres.cluster.start();
    }
    // The pool drops the dead connections and makes new ones: the same store answers again.
    await expect(store.ping()).resolves.toBeUndefined();
    expect((await store.listSessions(teamId, 0, 10)).sessions.map((session) => session.id)).toEqual(['kept']);
  });

  it('gives up on a statement stuck behind a lock after statement_timeout, as unavailable', async () => {
    await withClient(url, async (locker) => {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE');
      try {
        const { error, ms } = await failure(() => store.listSessions(teamId, 0, 10));
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect((error as Error).cause).toMatchObject({ code: '57014' });
        expect(ms).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 100);
        expect(ms).toBeLessThan(STATEMENT_TIMEOUT_MS + 2_000);
      } finally {
        await locker.query('ROLLBACK');
      }
    });
    expect((await store.listSessions(teamId, 0, 10)).total).toBe(1);
  });

  it('keeps a bug a bug: a constraint violation is not "unavailable"', async () => {
    const error = await store.createTeam('acme').catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ code: '23505' });
  });

  it('answers StoreUnavailableError, not a closed pool’s error, once closed', async () => {
    const closing = await openStore(url, { purge: false });
    await closing.close();
    await expect(closing.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
