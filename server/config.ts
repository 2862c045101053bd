// Configuration comes only from the environment and is checked once at start: a bad value stops the
// process with a message that names the variable, what it must be, and what it got.

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
  /** Response validation against openapi.yaml: on in development and tests, off in production. */
  validateResponses: boolean;
  /** Origins whose pages may call the API from a browser (CORS); empty turns CORS off. */
  corsOrigins: string[];
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
    validateResponses: env.NODE_ENV !== 'production',
    corsOrigins: corsOriginsFrom(env),
  };
}
