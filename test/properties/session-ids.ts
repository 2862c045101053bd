// searchSessionId as it may arrive in a path, raw: valid ids drawn from the spec's pattern, and the
// hostile kinds openapi.yaml lists (too long, encoded or literal slashes, dot segments, whitespace,
// punctuation, non-ASCII, malformed escapes, empty) mixed freely. Never CR or LF, which would end
// the request line, nor `?` or `#`, which would end the path.
import fc from 'fast-check';
import { SESSION_ID } from './spec-rules.js';

const FRAGMENTS = [
  'a', 'Z', '7', '_', '-', '/', '.', '..', '%2F', '%2f', '%2E', '%2e%2E', '%41', '%5F', '%20', '%09', '%00', '%ZZ', '%E0%A4', '%C3%A9',
  '%', '%%', '+', '~', '!', '$', '&', "'", '(', ')', '*', ',', ';', '=', ':', '@', '"', '{', '}', '\\', '|', '^', '`', '[', ']', '<', '>',
  ' ', '\t', '\x0b', '\x00', '\x7f', '\u00e9', '\u20ac', '\u{1F600}',
];

const validId = fc.stringMatching(SESSION_ID);

export function rawSessionIds(existing: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: validId },
    { weight: 2, arbitrary: fc.constantFrom(...existing) },
    { weight: 5, arbitrary: fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 6 }).map((bytes) => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'abcXYZ019_-'), minLength: 129, maxLength: 200 }) },
    { weight: 1, arbitrary: fc.tuple(validId, validId).map(([a, b]) => `${a}/${b}`) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }).filter((text) => !/[\r\n?#]/.test(text)) },
    { weight: 1, arbitrary: fc.constantFrom('', '.', '..', '%2E%2E', '../x', 'a/', '%') },
  );
}

/** The answers a valid, authorised delete of this raw id may get: the id is decoded once, then held to the pattern. */
export function owedToDelete(raw: string, existing: ReadonlySet<string>): number[] {
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    return [400];
  }
  if (!SESSION_ID.test(id)) return [400];
  return existing.has(id) ? [200, 404] : [404];
}

// openapi.yaml's exact words for the two refusals.
export function messageOwedToDelete(rawId: string, status: number): string | undefined {
  if (status === 400) return 'searchSessionId must match /^[a-zA-Z0-9_-]{1,128}$/';
  if (status === 404) return `Search session not found: ${decodeURIComponent(rawId)}`;
  return undefined;
}
