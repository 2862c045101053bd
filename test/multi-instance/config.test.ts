// The environment that turns one server into one of several: a PostgreSQL DATABASE_URL, a
// REDIS_URL and its key prefix, and the key page cursors are signed with when instances do not share
// a store, each checked at start like every other variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_REDIS_PREFIX, loadConfig } from '../../server/config.js';

describe('configuration for several instances', () => {
  it('accepts postgres:// and postgresql:// database URLs', () => {
    for (const url of ['postgres://app:secret@db.internal:5432/batchdata', 'postgresql://localhost/batchdata']) {
      expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    }
  });

  it('shares the rate limit only when REDIS_URL is set, under a prefix per deployment', () => {
    expect(loadConfig({})).toMatchObject({ redisUrl: null, redisPrefix: DEFAULT_REDIS_PREFIX });
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379', REDIS_PREFIX: 'eu-1:' })).toMatchObject({ redisUrl: 'redis://cache:6379', redisPrefix: 'eu-1:' });
    expect(loadConfig({ REDIS_URL: 'rediss://cache:6380' }).redisUrl).toBe('rediss://cache:6380');
  });

  it('signs page cursors with PAGE_CURSOR_SECRET when set, else with the key the store keeps', () => {
    expect(loadConfig({})).not.toHaveProperty('pageCursorSecret');
    expect(loadConfig({ PAGE_CURSOR_SECRET: 'k'.repeat(32) }).pageCursorSecret).toBe('k'.repeat(32));
  });

  it.each([
    [{ PAGE_CURSOR_SECRET: 'k'.repeat(31) }, /^PAGE_CURSOR_SECRET must be at least 32 characters \(got 31\)$/],
    [{ DATABASE_URL: 'postgres:/missing-slash' }, /^DATABASE_URL must look like sqlite:<path> or postgres:/],
    [{ DATABASE_URL: 'mysql://localhost/db' }, /^DATABASE_URL must look like/],
    [{ REDIS_URL: 'cache:6379' }, /^REDIS_URL must look like redis:\/\/<host>:<port> \(got "cache:6379"\)$/],
    [{ REDIS_URL: 'http://cache:6379' }, /^REDIS_URL must look like/],
  ])('refuses %j, naming the variable and its rule', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
