// A page cursor reads back as the position it was signed with, only for the team and search it was
// signed for, only under the same secret, only unchanged in every bit, and only for 24 hours.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import {
  PAGE_CURSOR_LENGTH,
  PAGE_CURSOR_LIFETIME_MS,
  readCursor,
  signCursor,
} from '../../server/operations/page-cursor.js';

const secret = randomBytes(32);
const owner = { teamId: 7, queryKey: 'state:AZ' };
const position = { afterId: 123_456_789_012, upToId: 2 ** 53 - 1, resultsFound: 1_000_000 };
const now = Date.parse('2026-12-01T12:00:00Z');

it('reads back the position it was signed with, as text of a fixed length in the URL-safe alphabet', () => {
  const cursor = signCursor(secret, owner, position, now);
  expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(cursor).toHaveLength(PAGE_CURSOR_LENGTH);
  expect(readCursor(secret, owner, cursor, now)).toEqual({ kind: 'ok', position });
});

it('is invalid with any single bit changed, and under another secret', () => {
  const bytes = Buffer.from(signCursor(secret, owner, position, now), 'base64url');
  for (let bit = 0; bit < bytes.length * 8; bit++) {
    const changed = Buffer.from(bytes);
    changed[bit >> 3]! ^= 1 << (bit & 7);
    expect(readCursor(secret, owner, changed.toString('base64url'), now).kind, `bit ${bit}`).toBe('invalid');
  }
  expect(readCursor(randomBytes(32), owner, signCursor(secret, owner, position, now), now).kind).toBe('invalid');
});

it('is invalid when it is not the canonical spelling of its bytes', () => {
  const cursor = signCursor(secret, owner, position, now);
  for (const spelling of [`${cursor}=`, `${cursor}A`, cursor.slice(0, -1), ` ${cursor}`, `${cursor.slice(0, 10)}.${cursor.slice(10)}`, '']) {
    expect(readCursor(secret, owner, spelling, now).kind, spelling).toBe('invalid');
  }
});

it('belongs to another search for another team or another query, alike', () => {
  const cursor = signCursor(secret, owner, position, now);
  expect(readCursor(secret, { ...owner, teamId: 8 }, cursor, now).kind).toBe('other-search');
  expect(readCursor(secret, { ...owner, queryKey: 'state:TX' }, cursor, now).kind).toBe('other-search');
  // The separator keeps team 1 + query "2…" apart from team 12 + query "…".
  const ambiguous = signCursor(secret, { teamId: 1, queryKey: '2:x' }, position, now);
  expect(readCursor(secret, { teamId: 12, queryKey: ':x' }, ambiguous, now).kind).toBe('other-search');
});

it('expires 24 hours after it was issued, not before', () => {
  const cursor = signCursor(secret, owner, position, now);
  expect(readCursor(secret, owner, cursor, now + PAGE_CURSOR_LIFETIME_MS).kind).toBe('ok');
  expect(readCursor(secret, owner, cursor, now + PAGE_CURSOR_LIFETIME_MS + 1).kind).toBe('expired');
});
