// Each request gets a ULID of our own making (never the client's), in X-Request-Id and in the body.
// This first step also sets the other header every response carries, X-Content-Type-Options, and
// notes when the request's handling began: what the store may answer as of (FreshSince in store.ts).
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';

export const newRequestId = (): string => ulid();

export const assignRequestId: RequestHandler = (_req, res, next) => {
  res.locals.receivedAt = performance.now();
  res.locals.requestId = newRequestId();
  res.setHeader('X-Request-Id', res.locals.requestId);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  next();
};

// ULIDs for request ids (26 characters of Crockford base32: 48 bits of milliseconds, 80 random
// bits), monotonic within a millisecond so ids sort in the order requests arrived. Randomness comes
// from a pooled buffer: asking the system for it per id, as general libraries do, showed up in the
// server's profile at several percent of CPU.
const ENCODING = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_BYTES = 10;
const POOL_SIZE = RANDOM_BYTES * 512;

let pool = Buffer.alloc(0);
let offset = 0;
let lastTime = -1;
const digits = new Array<number>(16).fill(0);

function refillDigits(): void {
  if (offset + RANDOM_BYTES > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  let accumulator = 0;
  let bits = 0;
  let index = 0;
  for (let i = offset; i < offset + RANDOM_BYTES; i++) {
    accumulator = ((accumulator << 8) | pool[i]!) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      digits[index++] = (accumulator >> bits) & 31;
    }
  }
  offset += RANDOM_BYTES;
}

/** Adds one to the random part; false when it was all ones (the millisecond is then moved on). */
function increment(): boolean {
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i]! < 31) {
      digits[i]!++;
      return true;
    }
    digits[i] = 0;
  }
  return false;
}

export function ulid(now = Date.now()): string {
  if (now > lastTime) {
    lastTime = now;
    refillDigits();
  } else if (!increment()) {
    lastTime++;
    refillDigits();
  }
  let time = lastTime;
  let text = '';
  for (let i = 0; i < 10; i++) {
    text = ENCODING[time % 32]! + text;
    time = Math.floor(time / 32);
  }
  for (const digit of digits) text += ENCODING[digit];
  return text;
}
