// The JSON body is parsed early, because whether a request needs an extra ability can depend on
// it (options.searchSession), but a body that fails to parse is only reported at the validation
// step: by the order of checks, a 403 comes before any 400.
import express, { type RequestHandler } from 'express';
import { ApiError } from './api-error.js';
import { messages } from './messages.js';

export const BODY_LIMIT = '64kb';
const parser = express.json({ limit: BODY_LIMIT, strict: false });

// Whether the client sent no body at all, however it said so: the parser turns an explicit
// `Content-Length: 0` into {}, which would otherwise read as an object missing every field.
function sentNoBody(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['content-length'] === '0' || (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined);
}

export const parseJsonBody: RequestHandler = (req, res, next) => {
  // An operation without a request body has nothing to parse: reading the stream anyway would
  // cost every DELETE and GET a turn of the event loop.
  if (!res.locals.operation?.requestBodySchema) return next();
  if (sentNoBody(req.headers)) {
    res.locals.bodyError = new ApiError(400, messages.bodyNotJsonObject);
    return next();
  }
  parser(req, res, (error?: unknown) => {
    if (error) {
      const tooLarge = (error as { type?: string }).type === 'entity.too.large';
      res.locals.bodyError = new ApiError(400, tooLarge ? messages.bodyTooLarge(BODY_LIMIT) : messages.bodyNotJsonObject);
    }
    next();
  });
};

export const reportBodyError: RequestHandler = (_req, res, next) => {
  if (res.locals.bodyError) throw res.locals.bodyError;
  next();
};
