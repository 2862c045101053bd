// The endpoints outside the API (health, readiness, the published docs and spec) are a handful of
// exact paths: one map lookup per request, so the API's requests do not pay for a router that
// pattern-matches each of them in turn.
import type { RequestHandler } from 'express';

export type OperationalRoutes = Readonly<Record<string, RequestHandler>>;

/** Serves GET (and HEAD) on exactly these paths; everything else goes on to the API. */
export function operationalRoutes(...tables: OperationalRoutes[]): RequestHandler {
  const routes = new Map(tables.flatMap((table) => Object.entries(table)));
  return (req, res, next) => {
    const handler = (req.method === 'GET' || req.method === 'HEAD') && routes.get(req.path);
    if (!handler) return next();
    return handler(req, res, next);
  };
}
