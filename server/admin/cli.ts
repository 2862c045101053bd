// Entry point of the admin CLI: `node dist/server/admin/cli.js <command>`. main() takes its argv,
// streams and environment as arguments so tests can run it in-process.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { databaseUrlFrom } from '../config.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { runCommand } from './commands.js';
import { parseAdminArgs, USAGE, UsageError, wantsHelp, type AdminCommand } from './parse-args.js';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Runs one admin command; resolves to the exit code (0 ok, 1 operational failure, 2 bad arguments). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  let command: AdminCommand;
  try {
    command = parseAdminArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`error: ${error.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }

  let store: Store | null = null;
  try {
    // The CLI never deletes sessions, so it has nothing for the background purger to do.
    store = await openStore(databaseUrlFrom(io.env), { purge: false });
    return await runCommand(command, store, {
      out: (line) => io.stdout.write(`${line}\n`),
      note: (line) => io.stderr.write(`${line}\n`),
      ...(io.stderr.isTTY ? { progress: progressBar(io.stderr) } : {}),
    });
  } catch (error) {
    io.stderr.write(`error: ${oneLine(error)}\n`);
    return EXIT_FAILURE;
  } finally {
    await store?.close();
  }
}

/** A one-line bar redrawn in place, for a person at a terminal; scripts never see it. */
function progressBar(stream: { write(text: string): unknown }): (fraction: number, label: string) => void {
  let last = '';
  return (fraction, label) => {
    const width = 30;
    const filled = Math.round(Math.min(1, fraction) * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${label}`;
    if (line === last) return;
    last = line;
    stream.write(`\r${line}\x1b[K${fraction >= 1 ? '\n' : ''}`);
  };
}

/** The error and its causes in one line: "The data store is unavailable." alone would not say why. */
function oneLine(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current !== undefined; current = (current as { cause?: unknown }).cause) {
    const message = current instanceof Error ? current.message : String(current);
    if (!parts.some((part) => part.includes(message))) parts.push(message);
    if (!(current instanceof Error)) break;
  }
  return parts.join(': ').replace(/\s*\n\s*/g, ' ');
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  // Node resolves symlinks for the main module's URL, so compare against the real path.
  return script !== undefined && import.meta.url === pathToFileURL(realpathSync(script)).href;
}

if (isEntryPoint()) {
  process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
}
