// Turns an answer the caller cannot use into a BatchDataApiError. The documented error envelope
// supplies the words; anything else (a proxy's HTML page, an empty body) still yields the status,
// so a caller never has to handle a second kind of failure.
import type { components } from '../generated/openapi.js';
import { BatchDataApiError } from './api-error.js';

type EnvelopeStatus = components['schemas']['Error']['status'];

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

export function undocumentedBodyError(
  response: Response,
  body: unknown,
  documented: 'response' | 'error envelope',
): BatchDataApiError {
  return new BatchDataApiError({
    status: response.status,
    text: response.statusText,
    message: `BatchData answered ${response.status} with a body that is not the documented ${documented}`,
    requestId: requestIdOf(body, response),
    response,
  });
}

/** For a non-2xx response; `body` is what openapi-fetch read: parsed JSON, raw text, or undefined. */
export function apiErrorFrom(response: Response, body: unknown): BatchDataApiError {
  const status = envelopeStatus(body, response.status);
  if (!status) return undocumentedBodyError(response, body, 'error envelope');
  return new BatchDataApiError({
    status: response.status,
    text: status.text,
    message: status.message,
    requestId: requestIdOf(body, response),
    response,
  });
}
