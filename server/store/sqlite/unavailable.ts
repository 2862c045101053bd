// Telling "the database cannot answer right now" (503, come back later) apart from a bug (500):
// only SQLite's result codes for locks, I/O, space and access are the former.
import { StoreUnavailableError } from '../store.js';

const UNAVAILABLE_CODES = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
  'SQLITE_NOMEM',
  'SQLITE_READONLY',
  'SQLITE_PROTOCOL',
];

export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // Extended codes (SQLITE_IOERR_WRITE, SQLITE_BUSY_SNAPSHOT, …) share their primary code's prefix.
  return typeof code === 'string' && UNAVAILABLE_CODES.some((primary) => code === primary || code.startsWith(`${primary}_`));
}

/** Runs one synchronous database call, turning outages into StoreUnavailableError. */
export function guarded<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw isUnavailable(error) ? new StoreUnavailableError(error) : error;
  }
}
