// Authorization headers of every shape, and what each is owed (openapi.yaml, order of checks): a
// missing header, another scheme, an unknown, tampered or revoked token are all 401 before
// anything else is looked at; a token without property-search-sessions is a 403 before its
// request is validated.
import fc from 'fast-check';

export type Credential =
  | { kind: 'member' }
  | { kind: 'limited' }
  | { kind: 'revoked' }
  | { kind: 'none' }
  | { kind: 'unknown'; token: string }
  | { kind: 'tampered'; suffix: string }
  | { kind: 'malformed'; header: string }
  /** `Bearer` spelt or spaced otherwise: accepting it or not are both within the contract. */
  | { kind: 'lookalike'; scheme: string; gap: string };

export type Authority = 'member' | 'limited' | 'unauthenticated' | 'member-or-unauthenticated';

export interface Tokens {
  member: string;
  limited: string;
  revoked: string;
}

// What an HTTP header value may hold (RFC 9110 field-vchar, SP, HTAB, obs-text).
const headerChar = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) },
  { weight: 1, arbitrary: fc.constantFrom('\t', '\u00e9', '\u00ff') },
);
export const headerText = (constraints: { minLength?: number; maxLength?: number } = {}) => fc.string({ unit: headerChar, ...constraints });
const tokenChar = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');

export const credentials: fc.Arbitrary<Credential> = fc.oneof(
  { weight: 14, arbitrary: fc.constant({ kind: 'member' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'limited' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'revoked' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.string({ unit: tokenChar, minLength: 1, maxLength: 60 }).map((token) => ({ kind: 'unknown' as const, token: `bds_${token}` })) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'Aa0_-.~+/='), minLength: 1, maxLength: 4 }).map((suffix) => ({ kind: 'tampered' as const, suffix })) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.constantFrom('Bearer', 'Bearer ', 'Basic ZGVtbzpzZWNyZXQ=', 'Token bds_x', 'Digest username="demo"', 'Bearer bds_ bds_'),
        headerText({ maxLength: 80 }).filter((text) => text.trim() !== ''),
      )
      .map((header) => ({ kind: 'malformed' as const, header })),
  },
  { weight: 1, arbitrary: fc.record({ scheme: fc.constantFrom('bearer', 'BEARER', 'bEaReR'), gap: fc.constantFrom(' ', '  ') }).map((look) => ({ kind: 'lookalike' as const, ...look })) },
);

export function authorityOf(credential: Credential): Authority {
  switch (credential.kind) {
    case 'member':
    case 'limited':
      return credential.kind;
    case 'lookalike':
      return 'member-or-unauthenticated';
    default:
      return 'unauthenticated';
  }
}

export function authorizationHeaders(credential: Credential, tokens: Tokens): Record<string, string> {
  switch (credential.kind) {
    case 'member':
    case 'limited':
    case 'revoked':
      return { Authorization: `Bearer ${tokens[credential.kind]}` };
    case 'none':
      return {};
    case 'unknown':
      return { Authorization: `Bearer ${credential.token}` };
    case 'tampered':
      return { Authorization: `Bearer ${tokens.member}${credential.suffix}` };
    case 'malformed':
      return { Authorization: credential.header };
    case 'lookalike':
      return { Authorization: `${credential.scheme}${credential.gap}${tokens.member}` };
  }
}

/**
 * The statuses owed to a request, given its credential and what it deserves once authorised; a
 * token without property-search-sessions gets `limited` (by default the 403 of the session
 * operations, which need that ability whatever the request).
 */
export function owedTo(credential: Credential, authorised: number[], limited: number[] = [403]): number[] {
  switch (authorityOf(credential)) {
    case 'member':
      return authorised;
    case 'limited':
      return limited;
    case 'unauthenticated':
      return [401];
    case 'member-or-unauthenticated':
      return [401, ...authorised];
  }
}
