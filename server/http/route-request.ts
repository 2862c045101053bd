// First of the checks: is there such an operation? Unknown paths are 404 and wrong methods 405 with
// Allow, before authentication, exactly as for a request that carries a valid token.
import type { RequestHandler } from 'express';
import { ApiError } from './api-error.js';
import { messages } from './messages.js';
import type { RouteTable } from './route-table.js';

// The request target's path, still encoded. Servers must accept the absolute form
// (`GET http://host/path`, RFC 9112 §3.2.2) as well as the usual origin form (`GET /path`).
const ABSOLUTE_FORM = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/;

function rawPathOf(target: string): string {
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

export function routeRequest(routes: RouteTable): RequestHandler {
  return (req, res, next) => {
    // Everything after this step (the validator included) reads req.url in its origin form.
    if (ABSOLUTE_FORM.test(req.url)) req.url = req.url.replace(ABSOLUTE_FORM, '') || '/';
    const rawPath = rawPathOf(req.url);
    const match = routes.match(req.method, rawPath);
    if (match.kind === 'not-found') throw new ApiError(404, messages.pathNotFound(rawPath));
    if (match.kind === 'method-not-allowed') {
      throw new ApiError(405, messages.methodNotAllowed(req.method, match.allow), { Allow: match.allow.join(', ') });
    }
    // A HEAD runs as the GET it mirrors, so the validator finds the operation; Node still sends
    // no body, since it decided that from the method the request arrived with.
    if (req.method === 'HEAD') req.method = match.operation.method;
    res.locals.operation = match.operation;
    res.locals.pathParams = match.rawPathParams;
    next();
  };
}
