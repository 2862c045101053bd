// Every error status the spec declares for an operation, answered by the spec's own example, must
// surface as the error class for that status, carrying that example's words and request id.
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as sdk from '../../client/index.js';
import { createSpecMock } from '../support/sdk/spec-mock.js';

type ApiErrorClass = abstract new (...args: never[]) => sdk.BatchDataApiError;

interface ErrorCase {
  status: number;
  example?: string;
  type: ApiErrorClass;
  kind: string;
  text: string;
  message: string;
  requestId: string;
}

const SHARED: ErrorCase[] = [
  { status: 401, type: sdk.UnauthorizedError, kind: 'unauthorized', text: 'Unauthorized', message: 'Invalid token.', requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2PR' },
  {
    status: 403,
    type: sdk.ForbiddenError,
    kind: 'forbidden',
    text: 'Forbidden',
    message: 'Provided token does not have permission to access this API.',
    requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2PS',
  },
  {
    status: 429,
    type: sdk.RateLimitedError,
    kind: 'rate-limited',
    text: 'Too Many Requests',
    message: 'Rate limit exceeded: 3000 requests per minute per token.',
    requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2PW',
  },
  {
    status: 500,
    type: sdk.InternalServerError,
    kind: 'internal-server-error',
    text: 'Internal Server Error',
    message: 'An unexpected error occurred. Quote the request id to support.',
    requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2PX',
  },
  {
    status: 503,
    type: sdk.ServiceUnavailableError,
    kind: 'service-unavailable',
    text: 'Service Unavailable',
    message: 'The service is temporarily unavailable. Retry after the number of seconds in Retry-After.',
    requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2PY',
  },
];

const badRequest = (example: string, message: string, requestId: string): ErrorCase => ({
  status: 400,
  example,
  type: sdk.BadRequestError,
  kind: 'bad-request',
  text: 'Bad Request',
  message,
  requestId,
});

const DELETE_CASES: ErrorCase[] = [
  badRequest('invalidSearchSessionId', 'searchSessionId must match /^[a-zA-Z0-9_-]{1,128}$/', '01KRCV4A0BQ6W3GZ1YDN7XK2PM'),
  {
    status: 404,
    type: sdk.SearchSessionNotFoundError,
    kind: 'search-session-not-found',
    text: 'Not Found',
    message: 'Search session not found: monthly-leads-az-85020',
    requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2PT',
  },
  ...SHARED,
];

const LIST_CASES: ErrorCase[] = [
  badRequest('invalidSkip', 'skip must be an integer >= 0', '01KRCV4A0BQ6W3GZ1YDN7XK2PN'),
  badRequest('unknownQueryParameter', 'Unknown query parameter: limit', '01KRCV4A0BQ6W3GZ1YDN7XK2PQ'),
  ...SHARED,
];

const conflict = (example: string, message: string, requestId: string): ErrorCase => ({
  status: 409,
  example,
  type: sdk.ConflictError,
  kind: 'conflict',
  text: 'Conflict',
  message,
  requestId,
});

const SEARCH_CASES: ErrorCase[] = [
  badRequest(
    'invalidSearchQuery',
    'searchCriteria.query must be a ZIP code (85020), a state (AZ) or a city and state (Phoenix, AZ)',
    '01KRCV5B7Q2M4N6P8R0S2T4V6Z',
  ),
  badRequest('skipWithSession', 'options.skip cannot be used with options.searchSession: a search session is forward-only.', '01KRCV5B7Q2M4N6P8R0S2T4V70'),
  badRequest('unknownField', 'Unknown field: options.pageSize', '01KRCV5B7Q2M4N6P8R0S2T4V71'),
  conflict(
    'sessionLimitReached',
    'Search session limit reached: this team already has 100 sessions. Delete one to free a slot.',
    '01KRCV5B7Q2M4N6P8R0S2T4V73',
  ),
  conflict('idempotencyKeyReused', 'Idempotency-Key was already used with a different request body on this session.', '01KRCV5B7Q2M4N6P8R0S2T4V74'),
  ...SHARED,
];

function prefer({ status, example }: ErrorCase): Record<string, string> {
  return { Prefer: example === undefined ? `code=${status}` : `code=${status}, example=${example}` };
}

async function failureOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.unreachable('the call succeeded'),
    (thrown: unknown) => thrown,
  );
}

async function expectApiError(call: Promise<unknown>, expected: ErrorCase): Promise<void> {
  const error = await failureOf(call);
  expect(error).toBeInstanceOf(expected.type);
  expect(error).toBeInstanceOf(sdk.BatchDataApiError);
  expect(error).toBeInstanceOf(sdk.BatchDataError);
  expect(error).toBeInstanceOf(Error);
  const apiError = error as sdk.AnyBatchDataError & sdk.BatchDataApiError;
  expect(apiError.name).toBe(expected.type.name);
  expect(apiError.kind).toBe(expected.kind);
  expect(apiError.status).toBe(expected.status);
  expect(apiError.text).toBe(expected.text);
  expect(apiError.message).toBe(expected.message);
  expect(apiError.requestId).toBe(expected.requestId);
  expect(apiError.response.status).toBe(expected.status);
  expect(apiError.response.headers.get('X-Request-Id')).toBe(expected.requestId);
}

// Retries are other tests' business: here every call makes exactly one attempt.
function setup() {
  const mock = createSpecMock();
  return { mock, client: sdk.createClient({ token: 'tok_live_1', fetch: mock.fetch, retry: false }) };
}

describe('error responses from the spec', () => {
  it.each(DELETE_CASES)('deleteSearchSession: $status $example becomes $type.name', async (expected) => {
    const { mock, client } = setup();
    await expectApiError(client.deleteSearchSession('monthly-leads-az-85020', { headers: prefer(expected) }), expected);
    expect(mock.requests).toHaveLength(1);
  });

  it.each(LIST_CASES)('listSearchSessions: $status $example becomes $type.name', async (expected) => {
    const { mock, client } = setup();
    await expectApiError(client.listSearchSessions({ take: 10 }, { headers: prefer(expected) }), expected);
    expect(mock.requests).toHaveLength(1);
  });

  it.each(SEARCH_CASES)('searchProperties: $status $example becomes $type.name', async (expected) => {
    const { mock, client } = setup();
    const body = { searchCriteria: { query: '85020' }, options: { searchSession: 'monthly-leads-az-85020' } };
    await expectApiError(client.searchProperties(body, { headers: prefer(expected) }), expected);
    expect(mock.requests).toHaveLength(1);
  });

  it('a delete\'s 404 names the session it looked for', async () => {
    const { client } = setup();
    const error = await failureOf(client.deleteSearchSession('monthly-leads-az-85020', { headers: { Prefer: 'code=404' } }));
    expect((error as sdk.SearchSessionNotFoundError).searchSessionId).toBe('monthly-leads-az-85020');
  });

  it('429 and 503 keep the response and read Retry-After into milliseconds', async () => {
    const { client } = setup();
    for (const status of [429, 503]) {
      const error = await failureOf(client.listSearchSessions({}, { headers: { Prefer: `code=${status}` } }));
      expect((error as sdk.RateLimitedError).response.headers.get('Retry-After')).toBe('42');
      expect((error as sdk.RateLimitedError | sdk.ServiceUnavailableError).retryAfterMs).toBe(42_000);
    }
  });

  it('switch (error.kind) narrows to each class, with its own fields', () => {
    function describeFailure(error: unknown): string {
      if (!sdk.isBatchDataError(error)) return 'not ours';
      switch (error.kind) {
        case 'search-session-not-found':
          expectTypeOf(error).toEqualTypeOf<sdk.SearchSessionNotFoundError>();
          expectTypeOf(error.status).toEqualTypeOf<404>();
          return error.searchSessionId;
        case 'rate-limited':
          expectTypeOf(error).toEqualTypeOf<sdk.RateLimitedError>();
          expectTypeOf(error.status).toEqualTypeOf<429>();
          return String(error.retryAfterMs);
        case 'timeout':
          return String(error.timeoutMs);
        case 'validation':
          return error.parameter;
        default:
          return error.kind;
      }
    }
    expect(describeFailure(new Error('x'))).toBe('not ours');
  });
});

describe('answers that are not the documented envelope', () => {
  const REQUEST_ID = '01KRCV4A0BQ6W3GZ1YDN7XK2QA';

  function answering(body: string | null, init: ResponseInit) {
    let calls = 0;
    const fetch = async () => {
      calls += 1;
      return new Response(body, init);
    };
    return { fetch, calls: () => calls };
  }

  async function deleteFailure(fetch: () => Promise<Response>): Promise<sdk.BatchDataApiError> {
    const client = sdk.createClient({ token: 'tok_live_1', fetch, retry: false });
    const error = await failureOf(client.deleteSearchSession('monthly-leads-az-85020'));
    expect(error).toBeInstanceOf(sdk.BatchDataApiError);
    return error as sdk.BatchDataApiError;
  }

  it('a proxy\'s HTML page still yields the status, its reason phrase and the header\'s request id', async () => {
    const server = answering('<html>Bad Gateway</html>', {
      status: 502,
      statusText: 'Bad Gateway',
      headers: { 'Content-Type': 'text/html', 'X-Request-Id': REQUEST_ID },
    });

    const error = await deleteFailure(server.fetch);

    expect(server.calls()).toBe(1);
    expect(error).toBeInstanceOf(sdk.UnexpectedResponseError);
    expect(error.status).toBe(502);
    expect(error.text).toBe('Bad Gateway');
    expect(error.message).toBe('BatchData answered 502 with a body that is not the documented error envelope');
    expect(error.requestId).toBe(REQUEST_ID);
  });

  it('an undocumented body keeps its status\'s class, but a 404 is then not a missing session', async () => {
    const notFound = await deleteFailure(answering('<html>Not Found</html>', { status: 404, statusText: 'Not Found' }).fetch);
    expect(notFound).toBeInstanceOf(sdk.NotFoundError);
    expect(notFound).not.toBeInstanceOf(sdk.SearchSessionNotFoundError);

    const unavailable = await deleteFailure(answering('upstream down', { status: 503 }).fetch);
    expect(unavailable).toBeInstanceOf(sdk.ServiceUnavailableError);
  });

  it('a 404 from a base URL that is not this API is a NotFoundError', async () => {
    const client = sdk.createClient({ token: 't', retry: false, fetch: answering('nope', { status: 404 }).fetch });
    expect(await failureOf(client.listSearchSessions())).toBeInstanceOf(sdk.NotFoundError);
  });

  it('JSON that is not the envelope, or an envelope for another status, is treated the same way', async () => {
    for (const body of [
      { error: 'nope' },
      { status: { code: 404, text: 'Not Found', message: 'elsewhere' }, meta: { requestId: REQUEST_ID } },
      { status: { code: 500, text: 'Internal Server Error' } },
      'a string',
    ]) {
      const error = await deleteFailure(answering(JSON.stringify(body), { status: 500 }).fetch);
      expect(error).toBeInstanceOf(sdk.InternalServerError);
      expect(error.message).toBe('BatchData answered 500 with a body that is not the documented error envelope');
    }
  });

  it('an empty error body still yields the status, and no request id when there is none', async () => {
    const error = await deleteFailure(answering(null, { status: 503 }).fetch);

    expect(error.status).toBe(503);
    expect(error.message).toBe('BatchData answered 503 with a body that is not the documented error envelope');
    expect(error.requestId).toBeUndefined();
  });

  it('an empty or non-JSON 2xx body is an UnexpectedResponseError, not an undefined result or a SyntaxError', async () => {
    const empty = await deleteFailure(
      answering(null, { status: 200, headers: { 'Content-Length': '0', 'X-Request-Id': REQUEST_ID } }).fetch,
    );
    const html = await deleteFailure(answering('<html>OK</html>', { status: 200, headers: { 'X-Request-Id': REQUEST_ID } }).fetch);

    for (const error of [empty, html]) {
      expect(error).toBeInstanceOf(sdk.UnexpectedResponseError);
      expect(error.status).toBe(200);
      expect(error.message).toBe('BatchData answered 200 with a body that is not the documented response');
      expect(error.requestId).toBe(REQUEST_ID);
    }
  });

  it('takes the request id from the body\'s meta first and from X-Request-Id when the body has none', async () => {
    const envelope = { status: { code: 404, text: 'Not Found', message: 'Search session not found: x' } };
    const headers = { 'X-Request-Id': REQUEST_ID };

    const fromBody = await deleteFailure(
      answering(JSON.stringify({ ...envelope, meta: { requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2QB' } }), { status: 404, headers }).fetch,
    );
    const fromHeader = await deleteFailure(answering(JSON.stringify(envelope), { status: 404, headers }).fetch);

    expect(fromBody.requestId).toBe('01KRCV4A0BQ6W3GZ1YDN7XK2QB');
    expect(fromHeader.requestId).toBe(REQUEST_ID);
    expect(fromHeader.message).toBe('Search session not found: x');
  });
});
