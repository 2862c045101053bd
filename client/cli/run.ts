// The CLI as a function of its arguments and environment, so tests run it in-process.
import { createClient, DEFAULT_BASE_URL } from '../client.js';
import type { Fetch } from '../transport.js';
import { parseCliArgs, UsageError, type CliCommand } from './args.js';
import { execute } from './commands.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { reportFailure } from './report-failure.js';
import { USAGE } from './usage.js';

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
