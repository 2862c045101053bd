// The database stores epoch milliseconds and JSON text; the Store speaks Dates and typed arrays.
import { ABILITIES, type Ability, type Principal, type SessionRecord, type Team, type TokenInfo } from '../store.js';

export interface TeamRow {
  id: number;
  name: string;
  created_at: number;
}

export interface TokenRow {
  id: string;
  team_id: number;
  abilities: string;
  created_at: number;
  revoked_at: number | null;
}

/** [id, total_delivered, created_at, last_request_at], as the list's JSON text holds it. */
export type SessionRow = [id: string, totalDelivered: number, createdAt: number, lastRequestAt: number | null];

/** Canonical order, no duplicates: what is stored and what is compared. */
function normalizeAbilities(abilities: readonly Ability[]): Ability[] {
  return ABILITIES.filter((ability) => abilities.includes(ability));
}

// An ability this release does not know (written by a newer one) grants nothing rather than failing.
function parseAbilities(json: string): Ability[] {
  const stored: unknown = JSON.parse(json);
  return Array.isArray(stored) ? ABILITIES.filter((ability) => stored.includes(ability)) : [];
}

export function serializeAbilities(abilities: readonly Ability[]): string {
  return JSON.stringify(normalizeAbilities(abilities));
}

export function toTeam(row: TeamRow): Team {
  return { id: row.id, name: row.name, createdAt: new Date(row.created_at) };
}

export function toTokenInfo(row: TokenRow): TokenInfo {
  return {
    id: row.id,
    teamId: row.team_id,
    abilities: parseAbilities(row.abilities),
    createdAt: new Date(row.created_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  };
}

export function toPrincipal(row: Pick<TokenRow, 'id' | 'team_id' | 'abilities'>): Principal {
  return { tokenId: row.id, teamId: row.team_id, abilities: parseAbilities(row.abilities) };
}

export function toSessionRecord([id, totalDelivered, createdAt, lastRequestAt]: SessionRow): SessionRecord {
  return { id, totalDelivered, createdAt: new Date(createdAt), lastRequestAt: lastRequestAt === null ? null : new Date(lastRequestAt) };
}
