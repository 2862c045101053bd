// Runs Arazzo workflows with `redocly respect` against one server and reads back what happened.
// Respect calls the servers of the OpenAPI description it is given; with a --server name it does
// not know, it quietly falls back to them, and openapi.yaml's first server is BatchData's
// production host. So the workflows run from a staged copy whose description lists only the
// server under test, and every request they made is reported for the caller to check.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse, stringify } from 'yaml';
import { PACKAGE_ROOT, SPEC_PATH } from '../../server/spec.js';
import { OFFLINE_ENV, toolEntry } from '../checks/support/tools.js';
import { runNode } from '../support/servers/server-process.js';

export interface Check {
  name: string;
  passed: boolean;
  message: string;
  severity?: string;
}

export interface StepRun {
  stepId: string;
  request?: { method: string; url: string };
  response?: { statusCode: number };
  checks: Check[];
}

export interface WorkflowRun {
  workflowId: string;
  executedSteps: StepRun[];
}

export interface RespectRun {
  code: number;
  output: string;
  /** Workflow runs by workflowId. */
  workflows: Map<string, WorkflowRun>;
}

interface RespectReport {
  files: Record<string, { executedWorkflows: WorkflowRun[] }>;
}

export const workflowIdsIn = (arazzoFile: string): string[] =>
  (parse(readFileSync(arazzoFile, 'utf8')) as { workflows: Array<{ workflowId: string }> }).workflows.map((workflow) => workflow.workflowId);

export async function respect(arazzoFiles: string[], serverUrl: string, inputs: Record<string, string>): Promise<RespectRun> {
  const stage = mkdtempSync(join(tmpdir(), 'bd-respect-'));
  try {
    const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as { servers: unknown };
    spec.servers = [{ url: serverUrl, description: 'The server under test.' }];
    writeFileSync(join(stage, relative(PACKAGE_ROOT, SPEC_PATH)), stringify(spec));
    const staged = arazzoFiles.map((file) => {
      const copy = join(stage, relative(PACKAGE_ROOT, file));
      mkdirSync(join(copy, '..'), { recursive: true });
      copyFileSync(file, copy);
      return copy;
    });
    const report = join(stage, 'respect.json');
    const { code, stdout, stderr } = await runNode(
      toolEntry('redocly'),
      [
        'respect',
        ...staged,
        ...Object.entries(inputs).flatMap(([name, value]) => ['--input', `${name}=${value}`]),
        '--server',
        `api=${serverUrl}`,
        '--json-output',
        report,
        '--max-steps',
        '500',
        '--max-fetch-timeout',
        '10000',
        '--execution-timeout',
        '120000',
      ],
      OFFLINE_ENV,
    );
    const { files } = JSON.parse(readFileSync(report, 'utf8')) as RespectReport;
    const workflows = new Map(Object.values(files).flatMap((file) => file.executedWorkflows.map((run) => [run.workflowId, run] as const)));
    return { code, output: `${stdout}${stderr}`, workflows };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** The checks of a workflow run that failed, one line each, for an assertion message. */
export const failedChecks = (run: WorkflowRun): string[] =>
  run.executedSteps.flatMap((step) => step.checks.filter((check) => !check.passed).map((check) => `${step.stepId}: ${check.name}: ${check.message}`));

