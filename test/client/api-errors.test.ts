// Every error status the spec declares for an operation, answered by the spec's own example, must
// surface as a BatchDataApiError carrying that example's words and request id.
import { describe, expect, it } from 'vitest';
import { BatchDataApiError, createClient } from '../../client/index.js';
import { createSpecMock } from '../support/spec-mock.js';

interface ErrorCase {
  status: number;
  example?: string;
  text: string;
  message: string;
  requestId: string;
}

const SHARED: ErrorCase[] = [
  { status: 401, text: 'Unauthorized', message: 'Invalid token.', requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2PR' },
  {
    status: 403,
    text: 'Forbidden',
    message: 'Provided token does not have permission to access this API.',
    requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2PS',
  },
  {
    status: 429,
    text: 'Too Many Requests',
    message: 'Rate limit exceeded: 3000 requests per minute per token.',
    requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2PW',
  },
  {
    status: 500,
    text: 'Internal Server Error',
    message: 'An unexpected error occurred. Quote the request id to support.',
    requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2PX',
  },
  {
    status: 503,
    text: 'Service Unavailable',
    message: 'The service is temporarily unavailable. Retry after the number of seconds in Retry-After.',
    requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2PY',
  },
];

const DELETE_CASES: ErrorCase[] = [
  {
    status: 400,
    example: 'invalidSearchSessionId',
    text: 'Bad Request',
    message: 'searchSessionId must match /^[a-zA-Z0-9_-]{1,128}$/',
    requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2PM',
  },
  {
    status: 404,
    text: 'Not Found',
    message: 'Search session not found: monthly-leads-az-85020',
    requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2PT',
  },
  ...SHARED,
];

const LIST_CASES: ErrorCase[] = [
  {
    status: 400,
    example: 'invalidSkip',
    text: 'Bad Request',
    message: 'skip must be an integer >= 0',
    requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2PN',
  },
  {
    status: 400,
    example: 'unknownQueryParameter',
    text: 'Bad Request',
    message: 'Unknown query parameter: limit',
    requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2PQ',
  },
  ...SHARED,
];

function prefer({ status, example }: ErrorCase): Record<string, string> {
  return { Prefer: example === undefined ? `code=${status}` : `code=${status}, example=${example}` };
}

async function expectApiError(call: Promise<unknown>, expected: ErrorCase): Promise<void> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(BatchDataApiError);
  expect(error).toBeInstanceOf(Error);
  const apiError = error as BatchDataApiError;
  expect(apiError.name).toBe('BatchDataApiError');
  expect(apiError.status).toBe(expected.status);
  expect(apiError.text).toBe(expected.text);
  expect(apiError.message).toBe(expected.message);
  expect(apiError.requestId).toBe(expected.requestId);
  expect(apiError.response.status).toBe(expected.status);
  expect(apiError.response.headers.get('X-Request-Id')).toBe(expected.requestId);
}

describe('error responses from the spec', () => {
  it.each(DELETE_CASES)('deleteSearchSession: $status $example becomes a BatchDataApiError', async (expected) => {
    const mock = createSpecMock();
    const client = createClient({ token: 'tok_live_1', fetch: mock.fetch });

    await expectApiError(client.deleteSearchSession('monthly-leads-az-85020', { headers: prefer(expected) }), expected);
    expect(mock.requests).toHaveLength(1);
  });

  it.each(LIST_CASES)('listSearchSessions: $status $example becomes a BatchDataApiError', async (expected) => {
    const mock = createSpecMock();
    const client = createClient({ token: 'tok_live_1', fetch: mock.fetch });

    await expectApiError(client.listSearchSessions({ take: 10 }, { headers: prefer(expected) }), expected);
    expect(mock.requests).toHaveLength(1);
  });

  it('keeps the response, so Retry-After can be honoured', async () => {
    const mock = createSpecMock({ status: 429 });
    const client = createClient({ token: 'tok_live_1', fetch: mock.fetch });

    const error = await client.listSearchSessions().catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(BatchDataApiError);
    expect((error as BatchDataApiError).response.headers.get('Retry-After')).toBe('42');
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

  async function failureOf(fetch: () => Promise<Response>): Promise<BatchDataApiError> {
    const client = createClient({ token: 'tok_live_1', fetch });
    const error = await client.deleteSearchSession('monthly-leads-az-85020').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(BatchDataApiError);
    return error as BatchDataApiError;
  }

  it('a proxy\'s HTML page still yields the status, its reason phrase and the header\'s request id', async () => {
    const server = answering('<html>Bad Gateway</html>', {
      status: 502,
      statusText: 'Bad Gateway',
      headers: { 'Content-Type': 'text/html', 'X-Request-Id': REQUEST_ID },
    });

    const error = await failureOf(server.fetch);

    expect(server.calls()).toBe(1);
    expect(error.status).toBe(502);
    expect(error.text).toBe('Bad Gateway');
    expect(error.message).toBe('BatchData answered 502 with a body that is not the documented error envelope');
    expect(error.requestId).toBe(REQUEST_ID);
  });

  it('JSON that is not the envelope, or an envelope for another status, is treated the same way', async () => {
    for (const body of [
      { error: 'nope' },
      { status: { code: 404, text: 'Not Found', message: 'elsewhere' }, meta: { requestId: REQUEST_ID } },
      { status: { code: 500, text: 'Internal Server Error' } },
      'a string',
    ]) {
      const error = await failureOf(answering(JSON.stringify(body), { status: 500 }).fetch);
      expect(error.status).toBe(500);
      expect(error.message).toBe('BatchData answered 500 with a body that is not the documented error envelope');
    }
  });

  it('an empty error body still yields the status, and no request id when there is none', async () => {
    const error = await failureOf(answering(null, { status: 503 }).fetch);

    expect(error.status).toBe(503);
    expect(error.message).toBe('BatchData answered 503 with a body that is not the documented error envelope');
    expect(error.requestId).toBeUndefined();
  });

  it('an empty 2xx body is a failure, not an undefined result', async () => {
    const error = await failureOf(
      answering(null, { status: 200, headers: { 'Content-Length': '0', 'X-Request-Id': REQUEST_ID } }).fetch,
    );

    expect(error.status).toBe(200);
    expect(error.message).toBe('BatchData answered 200 with a body that is not the documented response');
    expect(error.requestId).toBe(REQUEST_ID);
  });

  it('takes the request id from the body\'s meta first and from X-Request-Id when the body has none', async () => {
    const envelope = { status: { code: 404, text: 'Not Found', message: 'Search session not found: x' } };
    const headers = { 'X-Request-Id': REQUEST_ID };

    const fromBody = await failureOf(
      answering(JSON.stringify({ ...envelope, meta: { requestId: '01KRCV4A0BQ6W3GZ1YDN7XK2QB' } }), { status: 404, headers }).fetch,
    );
    const fromHeader = await failureOf(answering(JSON.stringify(envelope), { status: 404, headers }).fetch);

    expect(fromBody.requestId).toBe('01KRCV4A0BQ6W3GZ1YDN7XK2QB');
    expect(fromHeader.requestId).toBe(REQUEST_ID);
    expect(fromHeader.message).toBe('Search session not found: x');
  });
});
