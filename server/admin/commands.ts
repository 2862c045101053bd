// What each admin command does to the store and says back. Results go to `out` (stdout, for
// scripts), remarks to `note` (stderr, for people); a failure is thrown with a message for the operator.
import { basename } from 'node:path';
import { SESSION_SLOTS_PER_TEAM, type Store, type Team } from '../store/store.js';
import type { AdminCommand } from './parse-args.js';
import { issueToken } from './bootstrap.js';
import { readPropertiesCsv, type CsvProgress } from '../properties/csv-import.js';
import { syntheticProperties } from '../properties/synthetic.js';

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

// The `properties` admin commands: bring a user's CSV in, or make synthetic properties. Both go
// through the store's all-or-nothing import, so an interrupted or failed run leaves nothing behind.
export async function importCsv(store: Store, file: string, output: Output): Promise<number> {
  const added = await store.importProperties(
    readPropertiesCsv(file, { onProgress: ({ bytesRead, totalBytes, rows }: CsvProgress) => output.progress?.(bytesRead / (totalBytes || 1), `${rows.toLocaleString('en-US')} rows`) }),
  );
  output.progress?.(1, 'done');
  output.out(`Imported ${added} properties from ${basename(file)}`);
  return 0;
}

export async function generate(store: Store, count: number, seed: number | undefined, output: Output): Promise<number> {
  // Without a seed, continue from what the store holds, so a second run adds new properties
  // rather than the same ones again; the result is still reproducible from the store's state.
  const effectiveSeed = seed ?? (await store.countProperties()) + 1;
  let made = 0;
  const batches = (async function* () {
    for await (const batch of syntheticProperties(count, effectiveSeed)) {
      made += batch.length;
      output.progress?.(made / count, `${made.toLocaleString('en-US')} of ${count.toLocaleString('en-US')}`);
      yield batch;
    }
  })();
  const added = await store.importProperties(batches);
  output.out(`Added ${added} synthetic properties (seed ${effectiveSeed})`);
  return 0;
}

// Plain left-aligned columns: readable in a terminal, splittable by whitespace in a script.
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [headers, ...rows].map(line).join('\n') + '\n';
}
