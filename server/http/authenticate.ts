// Bearer authentication. Every failure, whatever its cause, is the same 401, so the answer says
// nothing about which tokens exist.
//
// Each well-formed token costs the store a lookup, so failed lookups are counted per client address:
// past `failuresPerMinute` in a minute, that address's requests carrying a token are refused with a
// 429 and Retry-After, without a lookup, until its minute is over. Requests without a well-formed
// token cost nothing and are not counted. The counts are per process, like the in-process rate limit.
import type { RequestHandler } from 'express';
import { hashToken } from '../auth/tokens.js';
import type { Store } from '../store/store.js';
import { ApiError } from './api-error.js';
import { messages } from './messages.js';
import { WindowCounter } from './window-counter.js';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;
const FAILURE_WINDOW_MS = 60_000;

export function authenticate(store: Store, failuresPerMinute: number): RequestHandler {
  const failures = new WindowCounter(FAILURE_WINDOW_MS);
  const unauthorized = () => new ApiError(401, messages.invalidToken, { 'WWW-Authenticate': 'Bearer' });
  return async (req, res, next) => {
    const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined) throw unauthorized();
    const address = req.socket.remoteAddress ?? '';
    const failed = failures.peek(address);
    if (failed && failed.totalHits >= failuresPerMinute) {
      const retryAfter = Math.max(1, Math.ceil((failed.resetTime.getTime() - Date.now()) / 1000));
      // The draft-7 headers every 429 carries describe the quota that was spent: this address's failures.
      throw new ApiError(429, messages.tooManyFailedAuthentications(retryAfter), {
        'Retry-After': String(retryAfter),
        'RateLimit-Policy': `${failuresPerMinute};w=${FAILURE_WINDOW_MS / 1000}`,
        RateLimit: `limit=${failuresPerMinute}, remaining=0, reset=${retryAfter}`,
      });
    }
    const principal = await store.findPrincipal(hashToken(token));
    if (!principal) {
      failures.increment(address);
      throw unauthorized();
    }
    res.locals.principal = principal;
    next();
  };
}
