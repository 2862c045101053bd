import { describe, expect, it } from 'vitest';
import { generateToken, generateTokenId, hashToken, TOKEN_ID_PATTERN } from '../../server/tokens.js';

describe('tokens', () => {
  it('generates bds_ tokens carrying 32 random bytes, never twice the same', () => {
    const tokens = new Set(Array.from({ length: 1_000 }, generateToken));
    expect(tokens.size).toBe(1_000);
    for (const token of tokens) {
      expect(token).toMatch(/^bds_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    }
  });

  it('hashes with SHA-256: deterministic, 32 bytes as hex, never the token itself', () => {
    const token = generateToken();
    const hash = hashToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashToken(token));
    expect(hash).not.toBe(hashToken(generateToken()));
    expect(hash).not.toContain(token.slice(4));
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('generates public ids of tok_ and 16 lowercase hex digits', () => {
    const ids = new Set(Array.from({ length: 1_000 }, generateTokenId));
    expect(ids.size).toBe(1_000);
    for (const id of ids) expect(id).toMatch(TOKEN_ID_PATTERN);
    expect(TOKEN_ID_PATTERN.source).toBe('^tok_[0-9a-f]{16}$');
  });
});
