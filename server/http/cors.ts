// CORS for browsers on other origins, off unless the deployment lists origins (CORS_ORIGINS). Only
// exact origins: a token is a bearer credential, and a pattern is one typo away from trusting an
// attacker's page. A preflight from a listed origin is answered here, before authentication,
// because browsers never send credentials on one; the request it clears then takes every check.
import type { RequestHandler } from 'express';
import type { RouteTable } from './route-table.js';

/** The request headers a page may send: the token, the JSON body's type, a search's retry key. */
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key';
/** What the SDK reads from a response: the id to quote, the quota, how long to wait. */
const EXPOSED_HEADERS = 'X-Request-Id, RateLimit, RateLimit-Policy, Retry-After';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

export function cors(allowedOrigins: readonly string[], routes: RouteTable): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    if (allowed.size === 0) return next();
    // The answer depends on Origin whether or not this one is listed: caches must keep them apart.
    res.vary('Origin');
    const origin = req.headers.origin;
    if (origin === undefined || !allowed.has(origin)) return next();
    res.set('Access-Control-Allow-Origin', origin);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      const methods = routes.allowedMethods(req.path);
      if (!methods) return next(); // an unknown path stays the 404 it is
      res.set({ 'Access-Control-Allow-Methods': methods.join(', '), 'Access-Control-Allow-Headers': ALLOWED_HEADERS, 'Access-Control-Max-Age': PREFLIGHT_MAX_AGE_SECONDS });
      res.status(204).end();
      return;
    }
    res.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    next();
  };
}
