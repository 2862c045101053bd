// What the middleware chain learns about a request, in the order it learns it.
import type { Principal } from '../store/store.js';
import type { RouteOperation } from './route-table.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      requestId: string;
      /** Set once the route table has matched an operation. */
      operation?: RouteOperation;
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
