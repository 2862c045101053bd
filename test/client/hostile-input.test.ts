// Ids and page parameters the API would reject never leave the SDK: openapi-fetch leaves `.` alone,
// so `..` would otherwise be normalised into a request for a different resource.
import { describe, expect, it } from 'vitest';
import { BatchDataValidationError, createClient, type ValidatedParameter } from '../../client/index.js';
import { createSpecMock } from '../support/sdk/spec-mock.js';

const ID_MESSAGE = 'searchSessionId must match /^[a-zA-Z0-9_-]{1,128}$/';
const SKIP_MESSAGE = 'skip must be an integer >= 0';
const TAKE_MESSAGE = 'take must be an integer between 1 and 100';

const HOSTILE_IDS: Array<[label: string, id: unknown]> = [
  ['..', '..'],
  ['.', '.'],
  ['a/b', 'a/b'],
  ['a b', 'a b'],
  ['é', 'é'],
  ['empty', ''],
  ['129 characters', 'a'.repeat(129)],
  ['%2F', '%2F'],
  ['%2E%2E', '%2E%2E'],
  ['tab', 'a\tb'],
  ['trailing newline', 'abc\n'],
  ['+', 'a+b'],
  ['?', 'a?b'],
  ['#', 'a#b'],
  ['lone surrogate', '\uD800'],
  ['a number', 42],
  ['undefined', undefined],
];

function setup() {
  const mock = createSpecMock();
  return { mock, client: createClient({ token: 'tok_live_1', fetch: mock.fetch }) };
}

async function expectRefusal(call: Promise<unknown>, parameter: ValidatedParameter, message: string): Promise<void> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(BatchDataValidationError);
  expect((error as BatchDataValidationError).name).toBe('BatchDataValidationError');
  expect((error as BatchDataValidationError).parameter).toBe(parameter);
  expect((error as BatchDataValidationError).message).toBe(message);
}

describe('hostile session ids', () => {
  it.each(HOSTILE_IDS)('%s is refused before any request is made', async (_label, id) => {
    const { mock, client } = setup();

    await expectRefusal(client.deleteSearchSession(id as string), 'searchSessionId', ID_MESSAGE);

    expect(mock.requests).toHaveLength(0);
  });

  // openapi-fetch encodes the path before its middleware runs, and encodeURIComponent throws on a
  // lone surrogate, so that one id fails in the encoder instead; see the next test.
  const ENCODABLE_IDS = HOSTILE_IDS.filter(([label]) => label !== 'lone surrogate');

  it.each(ENCODABLE_IDS)('%s is refused by the raw client too', async (_label, id) => {
    const { mock, client } = setup();

    await expectRefusal(
      client.raw.DELETE('/api/v2/property/search-sessions/{searchSessionId}', {
        params: { path: { searchSessionId: id as string } },
      }),
      'searchSessionId',
      ID_MESSAGE,
    );

    expect(mock.requests).toHaveLength(0);
  });

  it('a lone surrogate fails in the raw client\'s encoder and is not sent either', async () => {
    const { mock, client } = setup();

    await expect(
      client.raw.DELETE('/api/v2/property/search-sessions/{searchSessionId}', {
        params: { path: { searchSessionId: '\uD800' } },
      }),
    ).rejects.toThrow(URIError);

    expect(mock.requests).toHaveLength(0);
  });

  it('the longest and widest valid ids do reach the API', async () => {
    const { mock, client } = setup();
    const valid = ['a'.repeat(128), 'AZaz09_-', '-', '_'];

    for (const id of valid) await client.deleteSearchSession(id);

    expect(mock.requests.map(({ url }) => url.pathname)).toEqual(
      valid.map((id) => `/api/v2/property/search-sessions/${id}`),
    );
  });
});

describe('out-of-range paging', () => {
  const BAD_SKIPS: unknown[] = [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1, '5', null];
  const BAD_TAKES: unknown[] = [0, 101, -1, 1.5, Number.NaN, '10', null];

  it.each(BAD_SKIPS)('skip %s is refused before any request is made', async (skip) => {
    const { mock, client } = setup();

    await expectRefusal(client.listSearchSessions({ skip: skip as number, take: 10 }), 'skip', SKIP_MESSAGE);
    await expectRefusal(
      client.raw.GET('/api/v2/property/search-sessions', { params: { query: { skip: skip as number } } }),
      'skip',
      SKIP_MESSAGE,
    );

    expect(mock.requests).toHaveLength(0);
  });

  it.each(BAD_TAKES)('take %s is refused before any request is made', async (take) => {
    const { mock, client } = setup();

    await expectRefusal(client.listSearchSessions({ skip: 0, take: take as number }), 'take', TAKE_MESSAGE);
    await expectRefusal(
      client.raw.GET('/api/v2/property/search-sessions', { params: { query: { take: take as number } } }),
      'take',
      TAKE_MESSAGE,
    );

    expect(mock.requests).toHaveLength(0);
  });
});
