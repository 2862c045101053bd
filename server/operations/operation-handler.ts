// Handlers are written against the generated `operations` types: a handler returns the 200 body of
// its operation, so a body that strays from openapi.yaml is a compile error, not a runtime surprise.
import type { Request, RequestHandler } from 'express';
import type { RouteOperation } from '../http/routing.js';
import type { operations } from '../../generated/openapi.js';
import type { FreshSince, Principal } from '../store/store.js';

export type OperationId = keyof operations;

type JsonContent<R> = R extends { content: { 'application/json': infer Body } } ? Body : never;
type Parameters<Op extends OperationId, In extends 'path' | 'query' | 'header'> = NonNullable<operations[Op]['parameters'][In]>;

export type SuccessBody<Op extends OperationId> = JsonContent<operations[Op]['responses'][200]>;
export type RequestBody<Op extends OperationId> = JsonContent<NonNullable<operations[Op]['requestBody']>>;

export interface OperationContext<Op extends OperationId> {
  principal: Principal;
  requestId: string;
  /** When the request's handling began: the store's reads may answer as of then or later (FreshSince). */
  receivedAt: FreshSince;
  path: Parameters<Op, 'path'>;
  query: Parameters<Op, 'query'>;
  /** Header parameters by their name in the spec; absent ones are undefined. */
  header: Parameters<Op, 'header'>;
  /** The JSON body, already validated against the operation's schema. */
  body: RequestBody<Op>;
}

export type OperationImplementation<Op extends OperationId> = (context: OperationContext<Op>) => Promise<SuccessBody<Op>>;

// The header parameters an operation declares are fixed by the spec: looked up once per operation,
// with the lower-case names Node keys request headers by.
const declaredHeaders = new WeakMap<RouteOperation, ReadonlyArray<{ name: string; key: string }>>();

function headerParameters(req: Request, operation: RouteOperation): Record<string, string | undefined> {
  let names = declaredHeaders.get(operation);
  if (!names) {
    names = operation.parameters.filter((parameter) => parameter.in === 'header').map(({ name }) => ({ name, key: name.toLowerCase() }));
    declaredHeaders.set(operation, names);
  }
  const values: Record<string, string | undefined> = {};
  // Node joins a repeated header into one string (only Set-Cookie stays a list), as req.get() reads it.
  for (const { name, key } of names) values[name] = req.headers[key] as string | undefined;
  return values;
}

/** Adapts an operation to Express, once the checks before it have all passed. */
export function operationHandler<Op extends OperationId>(implementation: OperationImplementation<Op>): RequestHandler {
  return async (req, res) => {
    const body = await implementation({
      principal: res.locals.principal!,
      requestId: res.locals.requestId,
      receivedAt: res.locals.receivedAt,
      path: res.locals.pathParams as Parameters<Op, 'path'>,
      query: req.query as Parameters<Op, 'query'>,
      header: headerParameters(req, res.locals.operation!) as Parameters<Op, 'header'>,
      body: req.body as RequestBody<Op>,
    });
    // res.json, so that outside production the body is validated against the spec on its way out.
    // (The status is set directly: Express's res.status() checks a code that is known to be good.)
    res.statusCode = 200;
    res.json(body);
  };
}

/** One handler for every operation in the spec: a missing one is a compile error. */
export type OperationHandlers = { [Op in OperationId]: RequestHandler };
