// What each admin command does to the store and says back. Results go to `out` (stdout, for
// scripts), remarks to `note` (stderr, for people); a failure is thrown with a message for the operator.
import { SESSION_SLOTS_PER_TEAM, type Store, type Team } from '../store/store.js';
import type { AdminCommand } from './parse-args.js';
import { formatTable } from './format-table.js';
import { issueToken } from './issue-token.js';
import { generate, importCsv } from './property-commands.js';

export interface Output {
  out(line: string): void;
  note(line: string): void;
  /** Progress of a long command, 0–1 with a short label; only given when a person is watching. */
  progress?(fraction: number, label: string): void;
}

async function requireTeam(store: Store, name: string): Promise<Team> {
  const team = await store.findTeamByName(name);
  if (!team) throw new Error(`Unknown team: ${name}`);
  return team;
}

/** Runs one command; resolves to the process exit code. */
export async function runCommand(command: AdminCommand, store: Store, output: Output): Promise<number> {
  switch (command.name) {
    case 'teams create': {
      if (await store.findTeamByName(command.team)) throw new Error(`Team already exists: ${command.team}`);
      const team = await store.createTeam(command.team);
      output.out(team.name);
      return 0;
    }
    case 'tokens create': {
      const team = await requireTeam(store, command.team);
      const { token, info } = await issueToken(store, team.id, command.abilities);
      // stdout carries the token alone, so `TOKEN=$(npm run -s admin -- tokens create …)` just works.
      output.out(token);
      output.note(`Created ${info.id} for team ${team.name} (${info.abilities.join(', ')}). The token is shown only once.`);
      return 0;
    }
    case 'tokens list': {
      const team = await requireTeam(store, command.team);
      const rows = (await store.listTokens(team.id)).map((token) => [
        token.id,
        token.abilities.join(','),
        token.createdAt.toISOString(),
        token.revokedAt?.toISOString() ?? '-',
      ]);
      output.out(formatTable(['ID', 'ABILITIES', 'CREATED', 'REVOKED'], rows).trimEnd());
      return 0;
    }
    case 'tokens revoke': {
      if (!(await store.revokeToken(command.tokenId))) {
        throw new Error(`No active token with id ${command.tokenId} (unknown or already revoked).`);
      }
      output.out(`Revoked ${command.tokenId}`);
      return 0;
    }
    case 'migrate':
      // Opening the store for this command has applied whatever was pending.
      output.out('The database schema is up to date.');
      return 0;
    case 'sessions create': {
      const team = await requireTeam(store, command.team);
      const outcome = await store.createSession(team.id, command.sessionId);
      if (outcome === 'limit-reached') {
        throw new Error(`Session limit reached: team ${team.name} already has ${SESSION_SLOTS_PER_TEAM} sessions.`);
      }
      output.out(outcome === 'created' ? `Created session ${command.sessionId}` : `Session already exists: ${command.sessionId}`);
      return 0;
    }
    case 'properties import':
      return importCsv(store, command.file, output);
    case 'properties generate':
      return generate(store, command.count, command.seed, output);
  }
}
