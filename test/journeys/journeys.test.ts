// The user journeys in test/journeys/*.arazzo.yaml, run by `redocly respect` against the real
// server (in-process, its own store): every workflow must run, every one of its steps must pass
// its success criteria and Respect's own checks of the response against openapi.yaml (status
// documented, content type, schema), and every request must have gone to that server.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchesOf, syntheticList } from '../support/search.js';
import { startTestServer, type TestServer } from '../support/servers/test-server.js';
import { failedChecks, respect, workflowIdsIn, type RespectRun } from './respect.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ARAZZO_FILES = readdirSync(HERE)
  .filter((name) => name.endsWith('.arazzo.yaml'))
  .map((name) => join(HERE, name));
const WORKFLOWS = ARAZZO_FILES.flatMap(workflowIdsIn);

let server: TestServer;
let run: RespectRun;

beforeAll(async () => {
  server = await startTestServer();
  await server.store.importProperties(batchesOf(await syntheticList(2_000, 7)));
  // One team per workflow that counts its sessions; the failure journeys share one.
  const lifecycle = await server.team();
  const retry = await server.team();
  const failures = await server.team();
  const fullTeam = await server.team();
  for (let slot = 1; slot <= 100; slot++) await server.store.createSession(fullTeam.teamId, `slot-${slot}`);
  run = await respect(ARAZZO_FILES, server.url, {
    lifecycleToken: lifecycle.token,
    retryToken: retry.token,
    token: failures.token,
    limitedToken: await server.token(failures.teamId, ['property-search']),
    fullTeamToken: fullTeam.token,
  });
}, 180_000);
afterAll(() => server?.close());

describe('redocly respect over test/journeys', () => {
  it('finds the workflows', () => {
    expect(WORKFLOWS.length).toBeGreaterThanOrEqual(7);
  });

  it.each(WORKFLOWS)('%s: every step passes', (workflowId) => {
    const workflow = run.workflows.get(workflowId);
    expect(workflow, `respect did not run ${workflowId}:\n${run.output}`).toBeDefined();
    expect(workflow!.executedSteps.length).toBeGreaterThan(0);
    expect(failedChecks(workflow!)).toEqual([]);
  });

  it('exits 0, having sent every request to the server under test', () => {
    expect(run.code, run.output).toBe(0);
    const urls = [...run.workflows.values()].flatMap((workflow) => workflow.executedSteps.map((step) => step.request?.url ?? ''));
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((url) => !url.startsWith(`${server.url}/`))).toEqual([]);
  });
});
