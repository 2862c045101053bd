// First of the checks: is there such an operation? Unknown paths are 404 and wrong methods 405 with
// Allow, before authentication, exactly as for a request that carries a valid token.
import type { RequestHandler } from 'express';
import { ApiError } from './api-error.js';
import { messages } from './messages.js';
import type { RouteTable } from './route-table.js';

function rawPathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

export function routeRequest(routes: RouteTable): RequestHandler {
  return (req, res, next) => {
    const rawPath = rawPathOf(req.url);
    const match = routes.match(req.method, rawPath);
    if (match.kind === 'not-found') throw new ApiError(404, messages.pathNotFound(rawPath));
    if (match.kind === 'method-not-allowed') {
      throw new ApiError(405, messages.methodNotAllowed(req.method, match.allow), { Allow: match.allow.join(', ') });
    }
    res.locals.operation = match.operation;
    res.locals.pathParams = match.rawPathParams;
    next();
  };
}
