// `npm start`: configuration from the environment, the store, the server, a demo token on first
// start once the server listens, and a graceful stop on SIGTERM or SIGINT.
import { pino, type Logger } from 'pino';
import { DEMO_TOKEN_COMMAND, ensureDemoTeam, issueDemoTokenIfNone } from './admin/bootstrap.js';
import { ConfigError, loadConfig } from './config.js';
import { turnBufferedLogDestination } from './log-destination.js';
import { ServerMetrics } from './metrics.js';
import { ensureProperties } from './properties/synthetic.js';
import { startServer } from './server.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

function printDemoToken(url: string, token: string, firstStart: boolean): void {
  process.stdout.write(
    [
      '',
      firstStart
        ? 'First start: created team "demo" and a token with both abilities. It is shown only this once:'
        : 'Team "demo" has no token yet (an earlier first start stopped before it could show one). Here it is, shown only this once:',
      '',
      `  ${token}`,
      '',
      'Try it:',
      `  curl -s '${url}/api/v2/property/search-sessions' -H 'Authorization: Bearer ${token}'`,
      '',
      'Lost it? Another one, any time:',
      `  ${DEMO_TOKEN_COMMAND}`,
      '',
      '',
    ].join('\n'),
  );
}

/** First-start work on an empty store; resolves with true when this start created the demo team. */
async function bootstrap(store: Store, logger: Logger): Promise<boolean> {
  const demo = await ensureDemoTeam(store);
  const seeded = await ensureProperties(store);
  if (seeded > 0) logger.info({ properties: seeded }, 'filled the empty property store with the synthetic set');
  return demo !== null;
}

/** Node's "listen EADDRINUSE: address already in use 127.0.0.1:3000" does not say what to do. */
function startFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (error as NodeJS.ErrnoException)?.code === 'EADDRINUSE' ? `${message} (set PORT to another port, or stop what listens there)` : message;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Configuration error: ${error.message}\n`);
    process.exit(1);
  }
  // Asynchronous: a log line is queued and written in batches, never on the request's own path.
  // Whatever is queued is flushed before the process exits.
  const logDestination = turnBufferedLogDestination();
  const logger = pino({ level: config.logLevel }, logDestination);
  const exit = (code: number) => void logDestination.close().then(() => process.exit(code));
  const firstStart = { createdDemoTeam: false };
  // Made once the store is open; a failure before that is not a metric anyone could scrape.
  let metrics: ServerMetrics | undefined;
  const store = await openStore(config.databaseUrl, {
    onPurgeError: (error) => {
      metrics?.storeError('purge');
      logger.error({ err: error }, 'purging delivered ids failed; will retry');
    },
    idempotencyWindowMs: config.idempotencyWindowMs,
    onDatabaseFileLost: (message) => {
      metrics?.storeError('file_lost');
      logger.error(message);
    },
    onDatabaseFileRestored: (message) => logger.warn(message),
    onConnectionError: (error) => {
      metrics?.storeError('idle_connection');
      logger.warn({ err: error }, 'an idle database connection broke; the pool replaces it');
    },
    // On PostgreSQL under the migration lock: instances starting together bootstrap once between them.
    initialize: async (opened) => void (firstStart.createdDemoTeam = await bootstrap(opened, logger)),
  });
  // The Redis client is loaded only when configured: it adds about 160 ms to every start-up otherwise.
  const sharedRateLimit = config.redisUrl
    ? (await import('./rate-limit/redis.js')).openSharedRateLimit(config.redisUrl, config.redisPrefix, logger)
    : undefined;
  metrics = new ServerMetrics(store);
  const running = await startServer({ ...config, store, logger, sharedRateLimit, metrics });
  // Installed before the server announces itself, so a stop that follows "listening" is always graceful.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'stopping');
      running.stop().then(
        () => exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'unclean stop');
          exit(1);
        },
      );
    });
  }
  // Only now that the server listens: a token made before a failed listen would never be shown.
  const demoToken = await issueDemoTokenIfNone(store, { createdByThisStart: firstStart.createdDemoTeam, startedAt });
  if (demoToken) printDemoToken(running.url, demoToken, firstStart.createdDemoTeam);
  logger.info({ url: running.url, docs: `${running.url}/docs`, database: config.databaseUrl.replace(/\/\/[^@]*@/, '//***@') }, 'listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not start: ${startFailure(error)}\n`);
  process.exit(1);
});
