// Configuration comes only from the environment and is checked once at start: a bad value stops the
// process with a message that names the variable, what it must be, and what it got.
import { DEFAULT_IDEMPOTENCY_WINDOW_MS } from './store/store.js';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './http/connection-limits.js';
import { PAGE_CURSOR_SECRET_MIN_LENGTH } from './operations/page-cursor.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  rateLimitPerMinute: number;
  /** Where the rate-limit counters are shared between instances; null keeps them in this process. */
  redisUrl: string | null;
  /** Prepended to every Redis key, so deployments sharing one Redis keep separate budgets. */
  redisPrefix: string;
  logLevel: LogLevel;
  connectionLimits: ConnectionLimits;
  /** Failed token lookups one client address may cause a minute before it is refused without one. */
  authFailuresPerMinute: number;
  /** Response validation against openapi.yaml: on in development and tests, off in production. */
  validateResponses: boolean;
  /** How long an Idempotency-Key's page is kept, so its retries get the same page. */
  idempotencyWindowMs: number;
  /** Origins whose pages may call the API from a browser (CORS); empty turns CORS off. */
  corsOrigins: string[];
  /** The key page cursors are signed with; absent, the one the store makes once and keeps. */
  pageCursorSecret?: string;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/batchdata.db';
export const DEFAULT_REDIS_PREFIX = 'batchdata:rate-limit:';

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
  }
  return Number(raw);
}

export function databaseUrlFrom(env: Env): string {
  const url = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (!/^sqlite:.+/.test(url) && !/^postgres(ql)?:\/\/[^/]/.test(url)) {
    throw new ConfigError(`DATABASE_URL must look like sqlite:<path> or postgres://<user>@<host>:<port>/<database> (got "${url}")`);
  }
  return url;
}

function redisUrlFrom(env: Env): string | null {
  const url = env.REDIS_URL;
  if (url === undefined || url === '') return null;
  if (!/^rediss?:\/\/[^/]/.test(url)) {
    throw new ConfigError(`REDIS_URL must look like redis://<host>:<port> (got "${url}")`);
  }
  return url;
}

function connectionLimitsFrom(env: Env): ConnectionLimits {
  const defaults = DEFAULT_CONNECTION_LIMITS;
  const headersTimeoutMs = integer(env, 'HEADERS_TIMEOUT_MS', defaults.headersTimeoutMs, 1_000, 600_000);
  // Node measures the request timeout from the same start, so it cannot be the shorter one.
  const requestTimeoutMs = integer(env, 'REQUEST_TIMEOUT_MS', Math.max(defaults.requestTimeoutMs, headersTimeoutMs), headersTimeoutMs, 3_600_000);
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: integer(env, 'KEEP_ALIVE_TIMEOUT_MS', defaults.keepAliveTimeoutMs, 1, 600_000),
    maxConnections: integer(env, 'MAX_CONNECTIONS', defaults.maxConnections, 1, 1_000_000),
    maxConnectionsPerAddress: integer(env, 'MAX_CONNECTIONS_PER_ADDRESS', defaults.maxConnectionsPerAddress, 0, 1_000_000),
  };
}

export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 30;

// An origin as browsers send it: scheme, host and an optional port, nothing after.
const ORIGIN = /^https?:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

function corsOriginsFrom(env: Env): string[] {
  const raw = env.CORS_ORIGINS;
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((entry) => {
    const origin = entry.trim();
    if (!ORIGIN.test(origin)) {
      throw new ConfigError(`CORS_ORIGINS must be a comma-separated list of exact origins such as https://app.example.com (no wildcard, path or trailing slash) (got "${origin}")`);
    }
    return origin;
  });
}

// Instances that share a store share its secret already; this is for those that do not share one
// (or an operator who rotates it: cursors signed with the old one then answer 400, and walks restart).
function pageCursorSecretFrom(env: Env): { pageCursorSecret?: string } {
  const secret = env.PAGE_CURSOR_SECRET;
  if (secret === undefined || secret === '') return {};
  if (secret.length < PAGE_CURSOR_SECRET_MIN_LENGTH) {
    throw new ConfigError(`PAGE_CURSOR_SECRET must be at least ${PAGE_CURSOR_SECRET_MIN_LENGTH} characters (got ${secret.length})`);
  }
  return { pageCursorSecret: secret };
}

export function loadConfig(env: Env = process.env): Config {
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
  }
  const host = env.HOST || '127.0.0.1';
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host,
    databaseUrl: databaseUrlFrom(env),
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 3000, 1, 1_000_000_000),
    redisUrl: redisUrlFrom(env),
    redisPrefix: env.REDIS_PREFIX || DEFAULT_REDIS_PREFIX,
    logLevel,
    connectionLimits: connectionLimitsFrom(env),
    authFailuresPerMinute: integer(env, 'AUTH_FAILURES_PER_MINUTE', DEFAULT_AUTH_FAILURES_PER_MINUTE, 1, 1_000_000),
    validateResponses: env.NODE_ENV !== 'production',
    idempotencyWindowMs: integer(env, 'IDEMPOTENCY_WINDOW_SECONDS', DEFAULT_IDEMPOTENCY_WINDOW_MS / 1000, 10, 7 * 24 * 3600) * 1000,
    corsOrigins: corsOriginsFrom(env),
    ...pageCursorSecretFrom(env),
  };
}
