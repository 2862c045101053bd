// How a request fails: an ApiError carrying the status, the error envelope openapi.yaml documents,
// and the error handler that writes one for every failure.
import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Logger } from 'pino';
import { messages } from './messages.js';
import { newRequestId } from './request-id.js';

// The single place a failure becomes a response. It switches on err.status, whoever threw it (our
// ApiError, express-openapi-validator, the rate-limit counter, the store), and only ever answers with a
// status openapi.yaml documents, in the error envelope, without a stack trace or an internal name.
interface ErrorLike {
  status?: unknown;
  message?: unknown;
  headers?: Record<string, string>;
  retryAfterSeconds?: number;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: ErrorLike, req, res, _next) => {
    if (res.headersSent) {
      logger.error({ requestId: res.locals.requestId, err }, 'error after the response started');
      res.destroy();
      return;
    }
    try {
      respond(err, req, res, logger);
    } catch (failure) {
      // Never let a failure here reach Express's own handler, which answers with an HTML page.
      logger.error({ requestId: res.locals.requestId, err, failure }, 'the error handler failed');
      if (!res.headersSent) sendError(res, 500, messages.internal);
    }
  };
}

function respond(err: ErrorLike, req: Request, res: Response, logger: Logger): void {
  const status = typeof err?.status === 'number' ? err.status : 500;
  const headers = err.headers ?? {};
  switch (status) {
    case 401:
    case 403:
    case 404:
    case 405:
    case 409:
    case 413:
    case 415:
    case 429:
      sendError(res, status, String(err.message), headers);
      return;
    case 503:
      logger.warn({ requestId: res.locals.requestId, err }, 'store unavailable');
      sendError(res, 503, messages.unavailable, { 'Retry-After': String(err.retryAfterSeconds ?? 5) });
      return;
    default:
      if (status >= 400 && status < 500) {
        // A 400 (worded by its step: the validator's are by validationFailures), or a 4xx the API
        // does not document: both are something wrong with the request, which the API documents as 400.
        sendError(res, 400, String(err.message));
        return;
      }
      logger.error({ requestId: res.locals.requestId, method: req.method, err }, 'unexpected error');
      sendError(res, 500, messages.internal);
  }
}

// Writes the documented error envelope. It uses res.send, not res.json, so an error is never fed
// back through response validation: a failure there would otherwise loop into the error handler.
export function errorEnvelope(status: number, message: string, requestId: string) {
  return { status: { code: status, text: STATUS_CODES[status] ?? 'Error', message }, meta: { requestId } };
}

export function sendError(res: Response, status: number, message: string, headers: Record<string, string> = {}): void {
  res.status(status).set(headers).type('application/json');
  res.send(JSON.stringify(errorEnvelope(status, message, res.locals.requestId)));
}

/** Sent with every response, so no browser second-guesses a JSON answer's content type. */
export const NO_SNIFF = { 'X-Content-Type-Options': 'nosniff' } as const;

/**
 * A complete error response written straight to a socket, for what is answered before (or instead
 * of) Express: a request the parser refused, one that timed out, a connection over the cap. The
 * connection closes after it.
 */
export function rawErrorResponse(status: number, message: string, headers: Record<string, string> = {}): string {
  const requestId = newRequestId();
  const body = JSON.stringify(errorEnvelope(status, message, requestId));
  const fields = {
    'Content-Type': 'application/json; charset=utf-8',
    'X-Request-Id': requestId,
    ...NO_SNIFF,
    ...headers,
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
  };
  const head = Object.entries(fields).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${head}\r\n${body}`;
}

// The one way a request fails. Every middleware and handler throws (or passes to next) an ApiError,
// and the error handler turns it into the documented envelope; `status` is what it switches on.
export class ApiError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}
