// `npm start`: configuration from the environment, the store, a demo token on first start, the
// server, and a graceful stop on SIGTERM or SIGINT.
import { pino } from 'pino';
import { ensureDemoTeam } from './admin/bootstrap.js';
import { ConfigError, loadConfig } from './config.js';
import { ensureProperties } from './properties/seed.js';
import { startServer } from './server.js';
import { openStore } from './store/open-store.js';

function printDemoToken(url: string, token: string): void {
  process.stdout.write(
    [
      '',
      'First start: created team "demo" and a token with both abilities. It is shown only this once:',
      '',
      `  ${token}`,
      '',
      'Try it:',
      `  curl -s '${url}/api/v2/property/search-sessions' -H 'Authorization: Bearer ${token}'`,
      '',
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Configuration error: ${error.message}\n`);
    process.exit(1);
  }
  const logger = pino({ level: config.logLevel });
  const store = await openStore(config.databaseUrl, {
    onPurgeError: (error) => logger.error({ err: error }, 'purging delivered ids failed; will retry'),
  });
  const demo = await ensureDemoTeam(store);
  const seeded = await ensureProperties(store);
  if (seeded > 0) logger.info({ properties: seeded }, 'filled the empty property store with the synthetic set');
  const running = await startServer({ ...config, store, logger });
  // Installed before the server announces itself, so a stop that follows "listening" is always graceful.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'stopping');
      running.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'unclean stop');
          process.exit(1);
        },
      );
    });
  }
  if (demo) printDemoToken(running.url, demo.token);
  logger.info({ url: running.url, database: config.databaseUrl.replace(/\/\/[^@]*@/, '//***@') }, 'listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
