// The chain of checks app.ts assembles: how its steps run, and what they learn about a request.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Principal } from '../store/store.js';
import type { RouteOperation } from './routing.js';

// Middleware run one after another, as app.use would run them, but without the router's per-step
// bookkeeping (path matching, parameter processing, prefix trimming): the API's fixed chain of
// checks is known at start-up and matches every request it is given.
export function inOrder(...handlers: RequestHandler[]): RequestHandler {
  return (req, res, done) => runInOrder(handlers, req, res, done);
}

function runInOrder(handlers: readonly RequestHandler[], req: Request, res: Response, done: NextFunction): void {
  let index = 0;
  const next = (error?: unknown): void => {
    if (error) return done(error);
    const handler = handlers[index++];
    if (!handler) return done();
    try {
      const returned: unknown = handler(req, res, next);
      // As Express does: a rejected promise is an error even when it carries no reason.
      if (returned instanceof Promise) returned.catch((reason: unknown) => next(reason ?? new Error('Rejected promise')));
    } catch (thrown) {
      next(thrown ?? new Error('Thrown without a reason'));
    }
  };
  next();
}

// What the middleware chain learns about a request, in the order it learns it.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      requestId: string;
      /** performance.now() as the request's handling began: the store's FreshSince for its reads. */
      receivedAt: number;
      /** Set once the route table has matched an operation. */
      operation?: RouteOperation;
      /** The request arrived as HEAD, and runs as the GET it mirrors. */
      head?: boolean;
      /** Path parameters decoded and checked against the spec, by name. */
      pathParams?: Record<string, string>;
      /** Set once the bearer token has been recognised. */
      principal?: Principal;
      /** A body that could not be parsed, reported at the validation step. */
      bodyError?: Error;
    }
  }
}

export {};
