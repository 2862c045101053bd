// From a fetch to a result: a failure with no answer becomes BatchDataNetworkError, an error status
// or an undocumented body the BatchDataApiError for its status, a documented 2xx its typed data.
import type { components } from '../generated/openapi.js';
import {
  API_ERROR_BY_STATUS,
  UnexpectedResponseError,
  type BatchDataApiError,
  type BatchDataApiErrorInit,
  BatchDataNetworkError,
} from './errors.js';

// Turns an answer the caller cannot use into the BatchDataApiError for its status. The documented
// error envelope supplies the words; anything else (a proxy's HTML page, an empty body) still yields
// the status's class, so a 503 from a load balancer is retried like the API's own.
type EnvelopeStatus = components['schemas']['ErrorEnvelope']['status'];

export type ApiErrorFactory = (init: BatchDataApiErrorInit) => BatchDataApiError;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The envelope's `status`, when the body is the envelope for this very response. */
function envelopeStatus(body: unknown, httpStatus: number): EnvelopeStatus | undefined {
  const status = isRecord(body) ? body.status : undefined;
  if (!isRecord(status)) return undefined;
  const { code, text, message } = status;
  if (code !== httpStatus || typeof text !== 'string' || typeof message !== 'string' || message === '') return undefined;
  return { code, text, message };
}

// The body's copy is preferred: it is what the spec promises. The header covers bodies without one.
function requestIdOf(body: unknown, response: Response): string | undefined {
  const meta = isRecord(body) ? body.meta : undefined;
  if (isRecord(meta) && typeof meta.requestId === 'string') return meta.requestId;
  return response.headers.get('X-Request-Id') ?? undefined;
}

function undocumented(response: Response, body: unknown, documented: string): BatchDataApiErrorInit {
  return {
    text: response.statusText,
    message: `BatchData answered ${response.status} with a body that is not the documented ${documented}`,
    requestId: requestIdOf(body, response),
    response,
  };
}

/** A 2xx the SDK cannot use: no body, or not JSON. */
export function undocumentedSuccessError(response: Response, body: unknown): UnexpectedResponseError {
  return new UnexpectedResponseError(undocumented(response, body, 'response'));
}

/**
 * For a non-2xx response; `body` is the parsed JSON, the raw text, or undefined. `documented`
 * replaces the status's class when the answer is the operation's documented envelope, e.g. a
 * delete's 404 becomes SearchSessionNotFoundError.
 */
export function apiErrorFrom(
  response: Response,
  body: unknown,
  documented: Readonly<Record<number, ApiErrorFactory>> = {},
): BatchDataApiError {
  const status = envelopeStatus(body, response.status);
  const ErrorClass = API_ERROR_BY_STATUS[response.status] ?? UnexpectedResponseError;
  const byStatus: ApiErrorFactory = (init) => new ErrorClass(init);
  if (!status) return byStatus(undocumented(response, body, 'error envelope'));
  const init = { text: status.text, message: status.message, requestId: requestIdOf(body, response), response };
  return (documented[response.status] ?? byStatus)(init);
}

// The fetch the SDK's helpers hand to openapi-fetch. It draws the line for "network error": a
// TypeError from fetch itself or from reading the answer's body (a reset mid-body) becomes
// BatchDataNetworkError, while a TypeError from building the request (a bad header value) stays a
// TypeError, and is not retried. `client.raw` keeps the plain fetch.
export type Fetch = (request: Request) => Promise<Response>;

// Statuses whose Response may not be constructed with a body.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export function classifyingFetch(fetchFn: Fetch): Fetch {
  return async (request) => {
    try {
      const response = await fetchFn(request);
      // Read here, so a failure while reading is classified here too.
      const body = await response.arrayBuffer();
      const { status, statusText, headers } = response;
      return new Response(NULL_BODY_STATUSES.has(status) ? null : body, { status, statusText, headers });
    } catch (error) {
      // An abort is the call runner's to classify: it knows whose signal fired.
      if (request.signal.aborted || !(error instanceof TypeError)) throw error;
      throw new BatchDataNetworkError(error, URL.canParse(request.url) ? new URL(request.url).origin : undefined);
    }
  };
}

// openapi-fetch reports failure as `{ error }`; the SDK's helpers throw instead, so a caller's
// happy path holds only the typed 2xx body. Helpers ask openapi-fetch for text and parse it here,
// so a 2xx that is not JSON becomes an UnexpectedResponseError carrying the Response, not a bare
// SyntaxError.
interface TextResult {
  data?: string;
  error?: unknown;
  response: Response;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function unwrap<T>(
  pending: Promise<TextResult>,
  documented?: Readonly<Record<number, ApiErrorFactory>>,
): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw apiErrorFrom(response, error, documented);
  const body = parseJson(data);
  // Every success this API documents is a JSON object.
  if (typeof body !== 'object' || body === null) throw undocumentedSuccessError(response, body);
  return body as T;
}
