// The CLI as a function of its arguments and environment, so tests run it in-process.
import { createClient, DEFAULT_BASE_URL } from '../client.js';
import type { Fetch } from '../responses.js';
import { parseCliArgs, UsageError, type CliCommand, USAGE } from './args.js';
import { execute } from './commands.js';
import { BatchDataApiError, BatchDataError } from '../errors.js';

interface Writer {
  write(text: string): unknown;
}

export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout: Writer;
  stderr: Writer;
  /** Replaces fetch; for tests. */
  fetch?: Fetch;
}

function clientFor(io: CliIo) {
  const token = io.env.BATCHDATA_TOKEN;
  if (!token) throw new UsageError('BATCHDATA_TOKEN is not set: export your API token first.');
  const baseUrl = io.env.BATCHDATA_BASE_URL || DEFAULT_BASE_URL;
  if (!URL.canParse(baseUrl)) throw new UsageError(`BATCHDATA_BASE_URL is not a URL: ${JSON.stringify(baseUrl)}`);
  // A person waiting at a terminal should know why nothing is happening.
  const onRetry = ({ delayMs, error }: { delayMs: number; error: Error }) =>
    io.stderr.write(`Retrying in ${(delayMs / 1000).toFixed(1)} s: ${error.message}\n`);
  return createClient({ baseUrl, token, fetch: io.fetch, retry: { onRetry } });
}

export async function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let command: CliCommand;
  let client;
  try {
    command = parseCliArgs(argv);
    if (command.name === 'help') {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    client = clientFor(io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`Error: ${error.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    io.stdout.write(await execute(command, client));
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, command.json, io.stderr);
  }
}

// What a script can branch on after running the CLI. Documented in the README's SDK section.
export const EXIT = Object.freeze({
  ok: 0,
  /** A bug in the CLI or the SDK: the message says what; please report it. */
  internal: 1,
  /** Bad arguments, a missing BATCHDATA_TOKEN, or a value the SDK refused before sending. */
  usage: 2,
  /** The API answered with an error status (or a body that is not the documented one). */
  api: 3,
  /** No answer: the connection failed, or the API did not answer in time. */
  network: 4,
});

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

// One line on stderr for a failed command, and the exit code that says which kind of failure it
// was. With --json the line is JSON, so a script can read the kind, status and request id.
interface Writer {
  write(text: string): unknown;
}

function exitCodeOf(error: BatchDataError): ExitCode {
  if (error instanceof BatchDataApiError) return EXIT.api;
  return error.kind === 'validation' ? EXIT.usage : EXIT.network;
}

export function reportFailure(error: unknown, json: boolean, stderr: Writer): ExitCode {
  if (!(error instanceof BatchDataError)) {
    stderr.write(`Internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.internal;
  }
  const api = error instanceof BatchDataApiError ? error : undefined;
  if (json) {
    const fields = { kind: error.kind, message: error.message, status: api?.status, requestId: api?.requestId };
    stderr.write(`${JSON.stringify({ error: fields })}\n`);
  } else {
    const where = api ? ` (HTTP ${api.status}${api.requestId ? `, request ${api.requestId}` : ''})` : '';
    stderr.write(`Error: ${error.message}${where}\n`);
  }
  return exitCodeOf(error);
}
