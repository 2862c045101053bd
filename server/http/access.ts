// Who may call what: the bearer token (401, or 429 for an address with too many failed
// authentications), then, after the rate limit and the body's form, the abilities the operation
// needs (403).
import type { RequestHandler } from 'express';
import { hashToken } from '../tokens.js';
import type { Store } from '../store/store.js';
import { ApiError } from './errors.js';
import { messages } from './messages.js';
import { WindowCounter } from '../rate-limit/window-counter.js';

// Bearer authentication. Every failure, whatever its cause, is the same 401, so the answer says
// nothing about which tokens exist.
//
// Each well-formed token costs the store a lookup, so failed lookups are counted per client address:
// past `failuresPerMinute` in a minute, that address's requests carrying a token are refused with a
// 429 and Retry-After, without a lookup, until its minute is over. Requests without a well-formed
// token cost nothing and are not counted. The counts are per process, like the in-process rate limit.
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
    const principal = await store.findPrincipal(hashToken(token), res.locals.receivedAt);
    if (!principal) {
      failures.increment(address);
      throw unauthorized();
    }
    res.locals.principal = principal;
    next();
  };
}

// The abilities an operation needs are the roles on its bearerAuth requirement in openapi.yaml,
// plus those its `x-abilities-when-present` asks for when the body carries a given field (a search
// naming options.searchSession also needs property-search-sessions).
const pointerKeys = new Map<string, readonly string[]>();

function present(body: unknown, pointer: string): boolean {
  let keys = pointerKeys.get(pointer);
  if (!keys) pointerKeys.set(pointer, (keys = pointer.split('/').slice(1)));
  let node = body;
  for (const key of keys) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== undefined;
}

export const requireAbilities: RequestHandler = (req, res, next) => {
  const operation = res.locals.operation!;
  const granted: readonly string[] = res.locals.principal!.abilities;
  const holds = (abilities: readonly string[]) => abilities.every((ability) => granted.includes(ability));
  let allowed = holds(operation.requiredAbilities);
  for (const pointer in operation.abilitiesWhenPresent) {
    if (allowed && present(req.body, pointer)) allowed = holds(operation.abilitiesWhenPresent[pointer]!);
  }
  if (!allowed) throw new ApiError(403, messages.forbidden);
  next();
};
