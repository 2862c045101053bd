import { describe, expect, it } from 'vitest';
import { createClient, DEFAULT_BASE_URL } from '../../client/index.js';
import { createSpecMock } from '../support/sdk/spec-mock.js';

describe('createClient', () => {
  it('sends the token as a Bearer credential on every call, the raw client included', async () => {
    const mock = createSpecMock();
    const client = createClient({ token: 'tok_live_9f2c', fetch: mock.fetch });

    await client.deleteSearchSession('monthly-leads-az-85020');
    await client.listSearchSessions();
    await client.raw.GET('/api/v2/property/search-sessions');

    expect(mock.requests).toHaveLength(3);
    expect(mock.requests.map(({ headers }) => headers.get('Authorization'))).toEqual([
      'Bearer tok_live_9f2c',
      'Bearer tok_live_9f2c',
      'Bearer tok_live_9f2c',
    ]);
  });

  it('defaults to BatchData\'s production host', async () => {
    const mock = createSpecMock();
    const client = createClient({ token: 'tok_live_1', fetch: mock.fetch });

    await client.listSearchSessions();

    expect(DEFAULT_BASE_URL).toBe('https://api.batchdata.com');
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]?.url.href).toBe('https://api.batchdata.com/api/v2/property/search-sessions');
  });

  it('uses a custom base URL, with or without a trailing slash', async () => {
    const mock = createSpecMock();

    await createClient({ baseUrl: 'http://127.0.0.1:3000', token: 'tok_local', fetch: mock.fetch }).deleteSearchSession('s1');
    await createClient({ baseUrl: 'https://staging.example.test/', token: 'tok_local', fetch: mock.fetch }).listSearchSessions();

    expect(mock.requests.map(({ url }) => url.href)).toEqual([
      'http://127.0.0.1:3000/api/v2/property/search-sessions/s1',
      'https://staging.example.test/api/v2/property/search-sessions',
    ]);
  });

  it('refuses to build a client without a token', () => {
    expect(() => createClient({ token: '' })).toThrow(new TypeError('createClient needs a non-empty token'));
    expect(() => createClient({} as { token: string })).toThrow(new TypeError('createClient needs a non-empty token'));
  });
});
