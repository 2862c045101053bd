// Each request gets a ULID of our own making (never the client's), in X-Request-Id and in the body.
// This first step also sets the other header every response carries, X-Content-Type-Options.
import type { RequestHandler } from 'express';
import { ulid } from './ulid.js';

export const newRequestId = (): string => ulid();

export const assignRequestId: RequestHandler = (_req, res, next) => {
  res.locals.requestId = newRequestId();
  res.setHeader('X-Request-Id', res.locals.requestId);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  next();
};
