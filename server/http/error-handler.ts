// The single place a failure becomes a response. It switches on err.status, whoever threw it (our
// ApiError, express-openapi-validator, the rate-limit counter, the store), and only ever answers with a
// status openapi.yaml documents, in the error envelope, without a stack trace or an internal name.
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Logger } from 'pino';
import { messages } from './messages.js';
import { validationMessage } from './openapi-validation.js';
import { sendError } from './send-error.js';

interface ErrorLike {
  status?: unknown;
  message?: unknown;
  headers?: Record<string, string>;
  errors?: Array<{ path?: string; message?: string }>;
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
        // The validator's findings, or a 4xx the API does not document: both are something
        // wrong with the request, which the API documents as 400.
        const findings = err.errors ?? [{ message: String(err.message) }];
        sendError(res, 400, validationMessage(findings, res.locals.operation, req.body));
        return;
      }
      logger.error({ requestId: res.locals.requestId, method: req.method, err }, 'unexpected error');
      sendError(res, 500, messages.internal);
  }
}
