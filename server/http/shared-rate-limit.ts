// The rate-limit counters of every instance in one Redis, so a token's budget is one budget
// whichever instance a request reaches. The client is set up to fail fast rather than queue: no
// offline queue (a command while disconnected is refused at once), short connect and command
// timeouts, and reconnection forever in the background, so the server recovers by itself.
import type { Logger } from 'pino';
import { createClient } from 'redis';
import { RATE_LIMIT_WINDOW_MS } from './rate-limit.js';
import { ResilientRedisStore } from './redis-rate-limit-store.js';
import type { HitCounter } from './window-counter.js';

const CONNECT_TIMEOUT_MS = 1_000;
const COMMAND_TIMEOUT_MS = 1_000;
const MAX_RECONNECT_DELAY_MS = 1_000;
/** Commands waiting on a Redis that stopped answering; past it they are refused, not queued. */
const MAX_QUEUED_COMMANDS = 10_000;

export interface SharedRateLimit {
  counter: HitCounter;
  /** Throws when Redis cannot answer (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function openSharedRateLimit(url: string, prefix: string, logger: Logger): SharedRateLimit {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandsQueueMaxLength: MAX_QUEUED_COMMANDS,
    commandOptions: { timeout: COMMAND_TIMEOUT_MS },
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS),
    },
  });
  // One line per outage, not one per reconnect attempt; without a listener an error would crash us.
  let outageReported = false;
  client.on('ready', () => {
    outageReported = false;
    logger.info('rate-limit store (Redis) connected');
  });
  client.on('error', (error: unknown) => {
    if (!outageReported) logger.warn({ err: error }, 'rate-limit store (Redis) unreachable; answering 503 until it is back');
    outageReported = true;
  });
  // Resolves once connected, however long Redis takes to appear; until then requests get 503s.
  client.connect().catch((error: unknown) => logger.error({ err: error }, 'rate-limit store (Redis) gave up connecting'));

  const store = new ResilientRedisStore({
    sendCommand: (...args) => client.sendCommand(args),
    prefix,
    windowMs: RATE_LIMIT_WINDOW_MS,
    timeoutMs: COMMAND_TIMEOUT_MS,
    // Usual at start: the store loads its script before the connection is up. It loads it on first use.
    onInitError: (error) => logger.debug({ err: error }, 'rate-limit script not loaded at start; loading it on first use'),
  });
  return {
    counter: store,
    async ping() {
      // With the offline queue off, a disconnected client refuses at once instead of waiting.
      await client.ping();
    },
    async close() {
      // In-flight requests have finished by now; anything still pending is for requests long answered.
      if (client.isOpen) client.destroy();
    },
  };
}
