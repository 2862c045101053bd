// The rate-limit counters of every instance in one Redis, so a token's budget is one budget
// whichever instance a request reaches. The client is set up to fail fast rather than queue: no
// offline queue (a command while disconnected is refused at once), short connect and command
// timeouts, and reconnection forever in the background, so the server recovers by itself.
import type { Logger } from 'pino';
import { createClient } from 'redis';
import type { Options } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { RATE_LIMIT_WINDOW_MS } from './per-token.js';
import type { HitCounter, WindowCount } from './window-counter.js';

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

// rate-limit-redis's store, made to fail fast and to recover. Any failure to count a hit becomes a
// 503 with Retry-After (RateLimitUnavailableError: the error handler maps status 503), so a request
// is never let through uncounted and never waits on Redis for long. Two gaps in the library are
// closed here: a command already sent to a frozen Redis has no timeout in node-redis, and a script
// load that failed while Redis was away would stay a rejected promise forever.
export const RATE_LIMIT_RETRY_AFTER_SECONDS = 5;

export class RateLimitUnavailableError extends Error {
  readonly status = 503;
  readonly retryAfterSeconds = RATE_LIMIT_RETRY_AFTER_SECONDS;

  constructor(cause: unknown) {
    super('The rate-limit store is unavailable.', { cause });
  }
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface ResilientRedisStoreOptions {
  sendCommand: (...args: string[]) => Promise<boolean | number | string | Array<boolean | number | string>>;
  prefix: string;
  /** The length of a token's window. */
  windowMs: number;
  /** How long a hit may take to count before the request is answered 503. */
  timeoutMs: number;
  /** Hears about a failed start (not connected yet, or Redis away): the script is loaded on first use. */
  onInitError: (error: unknown) => void;
}

export class ResilientRedisStore extends RedisStore implements HitCounter {
  private readonly timeoutMs: number;
  private readonly onInitError: (error: unknown) => void;
  private scriptLoadFailed = false;

  constructor({ sendCommand, prefix, windowMs, timeoutMs, onInitError }: ResilientRedisStoreOptions) {
    super({ sendCommand, prefix });
    this.timeoutMs = timeoutMs;
    this.onInitError = onInitError;
    // The library reads only windowMs of express-rate-limit's options (and starts loading its script).
    void this.init({ windowMs } as Options);
  }

  override async init(options: Options): Promise<void> {
    await super.init(options).catch(this.onInitError);
  }

  override loadIncrementScript(key?: string): Promise<string> {
    const loading = super.loadIncrementScript(key);
    loading.catch(() => (this.scriptLoadFailed = true));
    return loading;
  }

  override async increment(key: string): Promise<WindowCount> {
    if (this.scriptLoadFailed) {
      this.scriptLoadFailed = false;
      this.incrementScriptSha = this.loadIncrementScript();
    }
    try {
      const { totalHits, resetTime } = await within(super.increment(key), this.timeoutMs);
      return { totalHits, resetTime: resetTime ?? new Date(Date.now() + this.windowMs) };
    } catch (error) {
      throw new RateLimitUnavailableError(error);
    }
  }
}
