// rate-limit-redis's store, made to fail fast and to recover. Any failure to count a hit becomes a
// 503 with Retry-After (RateLimitUnavailableError: the error handler maps status 503), so a request
// is never let through uncounted and never waits on Redis for long. Two gaps in the library are
// closed here: a command already sent to a frozen Redis has no timeout in node-redis, and a script
// load that failed while Redis was away would stay a rejected promise forever.
import type { Options } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { HitCounter, WindowCount } from './window-counter.js';

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
