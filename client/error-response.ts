// Turns an answer the caller cannot use into the BatchDataApiError for its status. The documented
// error envelope supplies the words; anything else (a proxy's HTML page, an empty body) still yields
// the status's class, so a 503 from a load balancer is retried like the API's own.
import type { components } from '../generated/openapi.js';
import {
  API_ERROR_BY_STATUS,
  UnexpectedResponseError,
  type BatchDataApiError,
  type BatchDataApiErrorInit,
} from './api-error.js';

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
