// Runs the SDK's CLI in-process and captures what it prints, as a terminal would see it.
import { run } from '../../../client/cli/run.js';
import type { Fetch } from '../../../client/responses.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], env: Record<string, string | undefined>, fetch?: Fetch): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    env,
    fetch,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}
