// A running server: the HTTP listener around the app, the store under it, and an orderly stop.
// main.ts runs one for `npm start`; tests start their own on a free port with a temp store.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { createLimitedServer, DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './http/connection-limits.js';
import { repairRefusedRequests } from './http/raw-request-repair.js';
import type { SharedRateLimit } from './rate-limit/redis.js';
import type { ServerMetrics } from './metrics.js';
import { loadSpec } from './spec.js';
import type { Store } from './store/store.js';

const IDLE_SWEEP_MS = 25;

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), then closes the store. */
  stop(): Promise<void>;
}

export interface StartOptions {
  store: Store;
  logger: Logger;
  host: string;
  port: number;
  rateLimitPerMinute: number;
  authFailuresPerMinute: number;
  /** Rate-limit counters shared with other instances; closed after the store on stop. */
  sharedRateLimit?: SharedRateLimit;
  validateResponses: boolean;
  /** Origins whose pages may call the API from a browser (CORS); none turns it off. */
  corsOrigins?: readonly string[];
  shutdownGraceMs?: number;
  /** Timeouts and connection caps; each one left out is the default. */
  connectionLimits?: Partial<ConnectionLimits>;
  /** Served at /metrics (see metrics.ts). */
  metrics?: ServerMetrics;
  /** The key page cursors are signed with; without it, the one the store keeps. */
  pageCursorSecret?: string;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { store, logger, host, port } = options;
  const app = createApp({ ...options, spec: loadSpec() });
  const server = createLimitedServer(app, { ...DEFAULT_CONNECTION_LIMITS, ...options.connectionLimits }, logger);
  repairRefusedRequests(server);
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const closed = once(server, 'close');
      server.close();
      // A keep-alive connection busy when the stop began goes idle once answered: it is closed
      // then, not left to the client, who would hold it open until the keep-alive timeout.
      server.closeIdleConnections();
      const idleSweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      const grace = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 10_000);
      await closed;
      clearInterval(idleSweep);
      clearTimeout(grace);
      await store.close();
      await options.sharedRateLimit?.close();
      logger.info('server stopped');
    })());

  return { server, url, stop };
}
