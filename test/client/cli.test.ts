// The CLI in-process against the spec mock: its output for people and for scripts, and an exit
// code per kind of failure (2 usage, 3 API, 4 network).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../../client/cli/run.js';
import { USAGE } from '../../client/cli/args.js';
import { settle } from '../support/sdk/fake-clock.js';
import { runCli } from '../support/sdk/cli-run.js';
import { createSpecMock, type SpecMockOptions } from '../support/sdk/spec-mock.js';

const ENV = { BATCHDATA_TOKEN: 'tok_live_1', BATCHDATA_BASE_URL: 'http://127.0.0.1:3000' };

function cli(argv: string[], mockOptions: SpecMockOptions = {}, env: Record<string, string | undefined> = ENV) {
  const mock = createSpecMock(mockOptions);
  return { mock, result: runCli(argv, env, mock.fetch) };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('usage', () => {
  it('--help prints the usage on stdout and exits 0', async () => {
    expect(await cli(['--help']).result).toEqual({ code: 0, stdout: USAGE, stderr: '' });
    expect((await cli(['sessions', 'list', '-h']).result).stdout).toBe(USAGE);
  });

  it.each([
    [[], 'No command given.'],
    [['sessions'], 'Unknown command: sessions'],
    [['teams', 'list'], 'Unknown command: teams list'],
    [['sessions', 'delete'], 'sessions delete takes exactly one <searchSessionId>'],
    [['sessions', 'delete', 'a', 'b'], 'sessions delete takes exactly one <searchSessionId>'],
    [['sessions', 'delete', 'a', '--take', '5'], 'sessions delete does not take --take'],
    [['sessions', 'list', '--take', 'ten'], '--take must be a whole number, got "ten"'],
    [['sessions', 'list', '--limit', '5'], "Unknown option '--limit'"],
    [['search', '--session', 's1'], 'search needs --query'],
    [['search', 'AZ'], 'Unexpected argument: AZ'],
  ])('%j exits 2 with the reason and the usage on stderr', async (argv, reason) => {
    const { mock, result } = cli(argv);
    const { code, stdout, stderr } = await result;
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe('');
    expect(stderr).toContain(reason);
    expect(stderr.endsWith(USAGE)).toBe(true);
    expect(mock.requests).toHaveLength(0);
  });

  it('exits 2 without BATCHDATA_TOKEN or with a BATCHDATA_BASE_URL that is not a URL', async () => {
    const noToken = await cli(['sessions', 'list'], {}, { BATCHDATA_BASE_URL: ENV.BATCHDATA_BASE_URL }).result;
    expect(noToken.code).toBe(EXIT.usage);
    expect(noToken.stderr).toMatch(/^Error: BATCHDATA_TOKEN is not set/);

    const badUrl = await cli(['sessions', 'list'], {}, { ...ENV, BATCHDATA_BASE_URL: 'api.batchdata.com' }).result;
    expect(badUrl.code).toBe(EXIT.usage);
    expect(badUrl.stderr).toMatch(/^Error: BATCHDATA_BASE_URL is not a URL: "api.batchdata.com"/);
  });

  it('uses BatchData\'s production host when BATCHDATA_BASE_URL is not set', async () => {
    const { mock, result } = cli(['sessions', 'list'], {}, { BATCHDATA_TOKEN: 't' });
    await result;
    expect(mock.requests[0]?.url.origin).toBe('https://api.batchdata.com');
    expect(mock.requests[0]?.headers.get('Authorization')).toBe('Bearer t');
  });

  it('a value the SDK refuses exits 2 with the server\'s words, and nothing is sent', async () => {
    for (const [argv, message] of [
      [['sessions', 'delete', '..'], 'searchSessionId must match /^[a-zA-Z0-9_-]{1,128}$/'],
      [['sessions', 'list', '--take', '0'], 'take must be an integer between 1 and 100'],
      [['sessions', 'list', '--skip=-1'], 'skip must be an integer >= 0'],
      [['search', '--query', 'Phoenix'], 'searchCriteria.query must be a ZIP code (85020), a state (AZ) or a city and state (Phoenix, AZ)'],
      [['search', '--query', 'AZ', '--session', 's1', '--skip', '5'], 'options.skip cannot be used with options.searchSession: a search session is forward-only.'],
      [['search', '--query', 'AZ', '--cursor', '--skip', '5'], 'options.skip cannot be used with options.useCursorPagination: the cursor marks where the next page starts.'],
      [['search', '--query', 'AZ', '--cursor', '--session', 's1'], 'options.useCursorPagination cannot be used with options.searchSession: a search session keeps its own place.'],
      [['search', '--query', 'AZ', '--page-cursor', 'a b'], 'options.pageCursor is not a cursor this server issued: send results.nextPageCursor from the previous page unchanged.'],
    ] as const) {
      const { mock, result } = cli([...argv]);
      expect(await result).toEqual({ code: EXIT.usage, stdout: '', stderr: `Error: ${message}\n` });
      expect(mock.requests).toHaveLength(0);
    }
  });
});

describe('sessions', () => {
  it('list prints every session as a table', async () => {
    const { mock, result } = cli(['sessions', 'list']);
    expect(await result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'ID                      DELIVERED  CREATED                   LAST REQUEST',
        'monthly-leads-az-85020      1,250  2026-05-10T14:23:11.000Z  2026-05-12T09:01:44.000Z',
        'daily-crm-delta                 0  2026-05-11T08:00:00.000Z  -',
        '2 sessions.',
        '',
      ].join('\n'),
    });
    expect(mock.requests.map(({ url }) => url.search)).toEqual(['?skip=0&take=100']);
  });

  it('list with --skip or --take asks for that one page only', async () => {
    const { mock, result } = cli(['sessions', 'list', '--take', '1']);
    expect((await result).code).toBe(0);
    expect(mock.requests.map(({ url }) => url.search)).toEqual(['?take=1']);
  });

  it('list says so when the team has none', async () => {
    expect((await cli(['sessions', 'list'], { example: 'noSessions' }).result).stdout).toBe('No search sessions.\n');
  });

  it('list --json prints the sessions and the total for scripts', async () => {
    const { stdout } = await cli(['sessions', 'list', '--json']).result;
    expect(JSON.parse(stdout)).toMatchObject({ total: 2, sessions: [{ id: 'monthly-leads-az-85020' }, { id: 'daily-crm-delta' }] });
  });

  it('delete says what it deleted; --json prints the API\'s results', async () => {
    expect(await cli(['sessions', 'delete', 'monthly-leads-az-85020']).result).toEqual({
      code: 0,
      stdout: 'Deleted search session monthly-leads-az-85020.\n',
      stderr: '',
    });
    const { stdout } = await cli(['sessions', 'delete', 'monthly-leads-az-85020', '--json']).result;
    expect(JSON.parse(stdout)).toEqual({ deleted: true, id: 'monthly-leads-az-85020', meta: { requestId: '01KRCV49383QRW53VBJX6CVDCT' } });
  });

  it('an ID that starts with a dash goes after --', async () => {
    const { mock, result } = cli(['sessions', 'delete', '--', '-leads']);
    expect((await result).code).toBe(0);
    expect(mock.requests[0]?.url.pathname).toBe('/api/v2/property/search-sessions/-leads');
  });
});

describe('search', () => {
  it('prints the page as a table and what the session delivered', async () => {
    const { mock, result } = cli(['search', '--query', 'Phoenix, AZ', '--session', 'monthly-leads-az-85020', '--take', '2'], {
      example: 'newSession',
    });
    expect(await result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        '  ID  ADDRESS                                 BEDS  BATHS  BUILT     VALUE',
        '1042  1418 W Glendale Ave, Phoenix, AZ 85020     3      2   1978  $412,000',
        '1057  7702 N 15th Ave, Phoenix, AZ 85021         4    2.5   1994  $538,000',
        'Session monthly-leads-az-85020 (created by this request): 2 properties delivered now, 0 before. 2 of 2,210 matches.',
        '',
      ].join('\n'),
    });
    expect(JSON.parse(mock.requests[0]?.body ?? '')).toEqual({
      searchCriteria: { query: 'Phoenix, AZ' },
      options: { take: 2, searchSession: 'monthly-leads-az-85020' },
    });
    expect(mock.requests[0]?.headers.get('Idempotency-Key')).toMatch(/^bd-[0-9a-f]{32}$/);
  });

  it('says when a session has nothing left to deliver', async () => {
    const { stdout } = await cli(['search', '--query', 'Phoenix, AZ', '--session', 'monthly-leads-az-85020'], { example: 'exhaustedSession' }).result;
    expect(stdout).toBe('Session monthly-leads-az-85020 has nothing new to deliver: it has delivered all 2,210 matches. 0 of 2,210 matches.\n');
  });

  it('a plain search pages by --skip and --take; --idempotency-key is sent as given', async () => {
    const { mock, result } = cli(['search', '--query', '85020', '--skip', '25', '--take', '25', '--idempotency-key', 'run-7', '--json']);
    const { stdout } = await result;
    expect(JSON.parse(stdout)).toMatchObject({ meta: { results: { resultsFound: 318, resultCount: 1 } } });
    expect(mock.requests[0]?.body).toBe('{"searchCriteria":{"query":"85020"},"options":{"take":25,"skip":25}}');
    expect(mock.requests[0]?.headers.get('Idempotency-Key')).toBe('run-7');
  });
});

describe('search by cursor', () => {
  it('--cursor asks for the first page of a walk and prints how to ask for the next', async () => {
    const { mock, result } = cli(['search', '--query', 'Phoenix, AZ', '--take', '2', '--cursor'], { example: 'cursorPage' });
    const { code, stdout } = await result;
    expect(code).toBe(0);
    expect(stdout.endsWith('2 of 2,210 matches.\nNext page: --page-cursor ARWvdZ27hUV1AAAAAAAABCEAAAAAAAFgYgAAAAAAAAiiAAABnhuFlcAYdiIpCI1Uchmace3Y8Mhy\n')).toBe(true);
    expect(JSON.parse(mock.requests[0]?.body ?? '')).toEqual({ searchCriteria: { query: 'Phoenix, AZ' }, options: { take: 2, useCursorPagination: true } });
  });

  it('--page-cursor asks for the page after it; --json prints nextPageCursor with the results', async () => {
    const { mock, result } = cli(['search', '--query', 'Phoenix, AZ', '--page-cursor', 'ARWvdZ27hUV1AAAAAAAABCEAAAAAAAFgYgAAAAAAAAiiAAABnhuFlcAYdiIpCI1Uchmace3Y8Mhy', '--json'], { example: 'cursorPage' });
    expect(JSON.parse((await result).stdout).nextPageCursor).toBe('ARWvdZ27hUV1AAAAAAAABCEAAAAAAAFgYgAAAAAAAAiiAAABnhuFlcAYdiIpCI1Uchmace3Y8Mhy');
    expect(JSON.parse(mock.requests[0]?.body ?? '')).toEqual({ searchCriteria: { query: 'Phoenix, AZ' }, options: { useCursorPagination: true, pageCursor: 'ARWvdZ27hUV1AAAAAAAABCEAAAAAAAFgYgAAAAAAAAiiAAABnhuFlcAYdiIpCI1Uchmace3Y8Mhy' } });
  });
});

describe('failures', () => {
  it('an API error exits 3 with its message, status and request id', async () => {
    const { code, stdout, stderr } = await cli(['sessions', 'delete', 'monthly-leads-az-85020'], { status: 404 }).result;
    expect(code).toBe(EXIT.api);
    expect(stdout).toBe('');
    expect(stderr).toBe('Error: Search session not found: monthly-leads-az-85020 (HTTP 404, request 01KRCV4A0BQ6W3GZ1YDN7XK2PT)\n');
  });

  it('with --json the error is one JSON line on stderr', async () => {
    const { code, stderr } = await cli(['sessions', 'list', '--json'], { status: 403 }).result;
    expect(code).toBe(EXIT.api);
    expect(JSON.parse(stderr)).toEqual({
      error: {
        kind: 'forbidden',
        status: 403,
        message: 'Provided token does not have permission to access this API.',
        requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2PS',
      },
    });
  });

  it('a network failure exits 4', async () => {
    const { code, stderr } = await cli(['sessions', 'delete', 's1'], { answers: [{ fail: 'network' }] }).result;
    expect(code).toBe(EXIT.network);
    expect(stderr).toBe('Error: Could not reach BatchData at http://127.0.0.1:3000: fetch failed: connect ECONNREFUSED 127.0.0.1:9\n');
  });

  it('says on stderr when it waits to retry, and succeeds after', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { result } = cli(['sessions', 'list'], { answers: [{ status: 429, headers: { 'Retry-After': '2' } }] });

    const settled = await settle(result);

    expect(settled.ok && settled.value.code).toBe(0);
    expect(settled.ok && settled.value.stderr).toBe('Retrying in 2.0 s: Rate limit exceeded: 3000 requests per minute per token.\n');
  });

  it('a timeout exits 4 once retries are used up', async () => {
    vi.useFakeTimers();
    const { result } = cli(['sessions', 'delete', 's1'], { answers: [{ fail: 'hang' }] });
    const settled = await settle(result);
    expect(settled.ok && settled.value).toEqual({ code: EXIT.network, stdout: '', stderr: 'Error: BatchData did not answer within 30000 ms\n' });
  });
});
