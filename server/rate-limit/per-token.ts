// The per-token budget (3,000 a minute by default). It runs right after authentication, so a token
// over its limit is refused before anything else about its request is looked at. The counters live
// in this process unless a shared counter (Redis, for several instances) is given. Every answer to
// an authenticated request declares the budget in the IETF draft-7 headers the spec documents.
import type { RequestHandler, Response } from 'express';
import { ApiError } from '../http/errors.js';
import { messages } from '../http/messages.js';
import { WindowCounter, type HitCounter, type WindowCount } from './window-counter.js';

export const RATE_LIMIT_WINDOW_MS = 60_000;

export function rateLimitPerToken(limitPerMinute: number, counter: HitCounter = new WindowCounter(RATE_LIMIT_WINDOW_MS)): RequestHandler {
  const policy = `${limitPerMinute};w=${RATE_LIMIT_WINDOW_MS / 1000}`;

  const answer = (res: Response, next: (error?: unknown) => void, { totalHits, resetTime }: WindowCount) => {
    const resetSeconds = Math.max(0, Math.ceil((resetTime.getTime() - Date.now()) / 1000));
    res.setHeader('RateLimit-Policy', policy);
    res.setHeader('RateLimit', `limit=${limitPerMinute}, remaining=${Math.max(0, limitPerMinute - totalHits)}, reset=${resetSeconds}`);
    if (totalHits <= limitPerMinute) return next();
    res.setHeader('Retry-After', String(resetSeconds));
    next(new ApiError(429, messages.rateLimited(limitPerMinute)));
  };

  return (_req, res, next) => {
    const counted = counter.increment(res.locals.principal!.tokenId);
    // The in-process counter answers at once; only the shared one costs a turn of the event loop.
    if (counted instanceof Promise) counted.then((count) => answer(res, next, count), next);
    else answer(res, next, counted);
  };
}
