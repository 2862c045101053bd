// The Express application, in the contract's order of checks:
// route (404/405) → authentication (401, or 429 for an address with too many failures) → rate limit (429)
// → the body's form and size (415/413) → ability (403) → validation (400) → operation.
import express from 'express';
import type { Logger } from 'pino';
import type { SharedRateLimit } from './rate-limit/redis.js';
import type { Store } from './store/store.js';
import type { OpenApiDocument } from './spec.js';
import { accessLog } from './http/access-log.js';
import { authenticate, requireAbilities } from './http/access.js';
import { checkRawParameters, openApiValidation, validationFailures } from './http/validation.js';
import { cors, RouteTable, routeRequest } from './http/routing.js';
import { errorHandler } from './http/errors.js';
import { inOrder } from './http/chain.js';
import { parseJsonBody, reportBodyError } from './http/parse-json-body.js';
import { rateLimitPerToken } from './rate-limit/per-token.js';
import { assignRequestId } from './http/request-id.js';
import { dispatchOperation, operationHandlers } from './operations/index.js';
import { docsRoutes, healthRoutes, operationalRoutes } from './operational.js';
import type { ServerMetrics } from './metrics.js';
import { responseChunks } from './json-text.js';

export interface AppOptions {
  store: Store;
  logger: Logger;
  spec: OpenApiDocument;
  rateLimitPerMinute: number;
  /** Failed token lookups one client address may cause a minute (then 429 without a lookup). */
  authFailuresPerMinute: number;
  /** Rate-limit counters shared between instances (Redis); each process counts alone without. */
  sharedRateLimit?: SharedRateLimit;
  validateResponses: boolean;
  /** Origins whose pages may call the API from a browser; none (the default) turns CORS off. */
  corsOrigins?: readonly string[];
  /** Served at /metrics and fed by every response; without it there is no /metrics. */
  metrics?: ServerMetrics;
  /** The key page cursors are signed with; without it, the one the store keeps (made once). */
  pageCursorSecret?: string;
}

export function createApp({ store, logger, spec, rateLimitPerMinute, authFailuresPerMinute, sharedRateLimit, validateResponses, corsOrigins = [], metrics, pageCursorSecret }: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.set('etag', false);
  // Every JSON body, validated outside production on its way here, is written in the chunks
  // responseChunks gives: a page of properties that left the store as JSON text goes out as that
  // text's bytes, encoded once however many responses carry it. Written straight to the response
  // rather than through res.send, whose content-type parsing and conditional-GET checks (ETags are
  // off) cost more than the rest of writing the body. The chunks of one response leave in one write
  // with the head: Node corks the socket from the first write until the end of the tick.
  app.response.json = function json(body: unknown) {
    const chunks = responseChunks(body);
    this.setHeader('Content-Type', 'application/json; charset=utf-8');
    // One string: Node measures it and sends its Content-Length itself.
    if (chunks.length === 1 && typeof chunks[0] === 'string' && !this.locals.head) return this.end(chunks[0]);
    let length = 0;
    for (const chunk of chunks) length += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    this.setHeader('Content-Length', length);
    if (this.locals.head) return this.end(); // a HEAD states the length of the body it does not send
    for (let i = 0; i < chunks.length - 1; i++) this.write(chunks[i]);
    return this.end(chunks.at(-1));
  };

  // Operational endpoints and the published contract live outside the API and its spec.
  const readiness = [
    { name: 'store', ping: () => store.ping() },
    ...(sharedRateLimit ? [{ name: 'rateLimitStore', ping: () => sharedRateLimit.ping() }] : []),
  ];
  const routes = new RouteTable(spec);
  // One Express layer for every request: the router's matching per layer would otherwise be paid
  // four times over for steps that every request takes anyway.
  app.use(
    inOrder(
      assignRequestId,
      accessLog(logger, metrics && ((operation, status, seconds) => metrics.observeRequest(operation, status, seconds))),
      operationalRoutes(healthRoutes(readiness), docsRoutes(), metrics?.routes() ?? {}),
      cors(corsOrigins, routes),
      routeRequest(routes),
      authenticate(store, authFailuresPerMinute),
      rateLimitPerToken(rateLimitPerMinute, sharedRateLimit?.counter),
      parseJsonBody,
      requireAbilities,
      reportBodyError,
      checkRawParameters,
      openApiValidation(spec, validateResponses),
      dispatchOperation(operationHandlers(store, pageCursorSecret)),
    ),
  );
  app.use(validationFailures, errorHandler(logger));
  return app;
}
