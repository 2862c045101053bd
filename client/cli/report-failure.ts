// One line on stderr for a failed command, and the exit code that says which kind of failure it
// was. With --json the line is JSON, so a script can read the kind, status and request id.
import { BatchDataApiError } from '../api-error.js';
import { BatchDataError } from '../batchdata-error.js';
import { EXIT, type ExitCode } from './exit-codes.js';

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
