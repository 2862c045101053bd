// The per-token budget (3,000 a minute by default). It runs right after authentication, so a token
// over its limit is refused before anything else about its request is looked at. The counters live
// in this process unless a shared store (Redis, for several instances) is given.
import type { RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { ApiError } from './api-error.js';
import { messages } from './messages.js';

export function rateLimitPerToken(limitPerMinute: number, store?: Store): RequestHandler {
  return rateLimit({
    ...(store ? { store } : {}),
    windowMs: 60_000,
    limit: limitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (_req, res) => res.locals.principal!.tokenId,
    // express-rate-limit has already set Retry-After; the error handler keeps it.
    handler: (_req, _res, next) => next(new ApiError(429, messages.rateLimited(limitPerMinute))),
  });
}
