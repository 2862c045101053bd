// The third way to page (after skip/take and search sessions): an opaque cursor that says "start
// right after this property" for one walk over one search's matches. It carries the walk's whole
// state, so the server keeps none and any instance sharing the secret can continue any walk:
//   - the id of the last property delivered: ids never change and pages run in id order, so the
//     next page starts after it whatever was added or removed elsewhere (never an offset);
//   - the highest property id when the walk began: the walk sees the store as it was then, so its
//     pages add up to exactly the resultsFound of its first page, which it carries unchanged;
//   - when it was issued, so it can expire;
//   - a keyed digest of the team and the searchCriteria (as the store reads them) that produced it,
//     so it continues nothing else and says nothing about either to whoever holds it.
// All of it is signed with HMAC-SHA-256 under the server's secret. Layout, then base64url:
//   version (1) | binding (8) | afterId (8) | upToId (8) | resultsFound (8) | issuedAt ms (8) | mac (16)
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WalkPosition } from '../store/store.js';

/** How long a cursor is honoured after it was issued. */
export const PAGE_CURSOR_LIFETIME_MS = 24 * 60 * 60_000;

/** The secret a server signs with is at least this long (bytes, or characters of configuration). */
export const PAGE_CURSOR_SECRET_MIN_LENGTH = 32;

const VERSION = 1;
const BINDING_BYTES = 8;
const MAC_BYTES = 16;
const SIGNED_BYTES = 1 + BINDING_BYTES + 4 * 8;
const CURSOR_BYTES = SIGNED_BYTES + MAC_BYTES;
/** The cursor as text: base64url without padding. */
export const PAGE_CURSOR_LENGTH = Math.ceil((CURSOR_BYTES * 4) / 3);

/** Whose walk it is: a cursor continues only the search of the team that started it. */
export interface WalkOwner {
  teamId: number;
  /** The searchCriteria as the store reads them (queryKey), so equivalent spellings are one search. */
  queryKey: string;
}

export type CursorReading =
  | { kind: 'ok'; position: WalkPosition }
  /** Not a cursor this server signed, or changed since. */
  | { kind: 'invalid' }
  /** Signed here, for another team or other searchCriteria. */
  | { kind: 'other-search' }
  | { kind: 'expired' };

function mac(secret: Buffer, label: string, data: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(label).update(data).digest();
}

function binding(secret: Buffer, owner: WalkOwner): Buffer {
  return mac(secret, 'page-cursor binding\0', `${owner.teamId}\0${owner.queryKey}`).subarray(0, BINDING_BYTES);
}

export function signCursor(secret: Buffer, owner: WalkOwner, position: WalkPosition, issuedAt: number): string {
  const bytes = Buffer.alloc(CURSOR_BYTES);
  bytes.writeUInt8(VERSION, 0);
  binding(secret, owner).copy(bytes, 1);
  let at = 1 + BINDING_BYTES;
  for (const value of [position.afterId, position.upToId, position.resultsFound, issuedAt]) {
    at = bytes.writeBigUInt64BE(BigInt(value), at);
  }
  mac(secret, 'page-cursor\0', bytes.subarray(0, SIGNED_BYTES)).copy(bytes, SIGNED_BYTES, 0, MAC_BYTES);
  return bytes.toString('base64url');
}

export function readCursor(secret: Buffer, owner: WalkOwner, cursor: string, now: number): CursorReading {
  // Buffer.from ignores characters outside the alphabet: only the canonical spelling is accepted.
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.length !== CURSOR_BYTES || bytes.toString('base64url') !== cursor || bytes.readUInt8(0) !== VERSION) return { kind: 'invalid' };
  const expected = mac(secret, 'page-cursor\0', bytes.subarray(0, SIGNED_BYTES)).subarray(0, MAC_BYTES);
  if (!timingSafeEqual(expected, bytes.subarray(SIGNED_BYTES))) return { kind: 'invalid' };
  if (!timingSafeEqual(binding(secret, owner), bytes.subarray(1, 1 + BINDING_BYTES))) return { kind: 'other-search' };
  const [afterId, upToId, resultsFound, issuedAt] = [0, 1, 2, 3].map((i) => Number(bytes.readBigUInt64BE(1 + BINDING_BYTES + 8 * i))) as [number, number, number, number];
  if (now - issuedAt > PAGE_CURSOR_LIFETIME_MS) return { kind: 'expired' };
  return { kind: 'ok', position: { afterId, upToId, resultsFound } };
}
