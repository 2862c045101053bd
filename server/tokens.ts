// Bearer tokens are 256 random bits, so guessing one is hopeless and a fast, unsalted SHA-256 is
// the right hash: there is no low-entropy secret for a slow hash to protect, and a deterministic
// digest can be looked up through a unique index instead of being compared row by row.
import { hash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'bds_';
const TOKEN_ID_PREFIX = 'tok_';

/** A new secret bearer token. Show it once; keep only its hash. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * The token's SHA-256, as 64 hex digits: how the stores look a token up. Every request hashes its
 * token, so this is the one-shot form, and it answers text: a digest returned as a Buffer took four
 * times as long to make, and the principal cache needs a string key anyway.
 */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/** The public name of a token: safe to print, log and pass to `tokens revoke`. */
export function generateTokenId(): string {
  return TOKEN_ID_PREFIX + randomBytes(8).toString('hex');
}

export const TOKEN_ID_PATTERN = /^tok_[0-9a-f]{16}$/;
