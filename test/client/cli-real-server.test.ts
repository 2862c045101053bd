// The CLI in-process against the real server: what a person sees, what a script reads, and the
// exit code for each kind of failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../client/cli/run.js';
import { syntheticProperties } from '../../server/properties/synthetic.js';
import { runCli } from '../support/sdk/cli-run.js';
import { refusingUrl } from '../support/sdk/flaky-network.js';
import { startTestServer, type TestServer } from '../support/servers/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await server.store.importProperties(syntheticProperties(300, 9));
});
afterAll(() => server.close());

async function teamEnv() {
  const { teamId, token } = await server.team();
  return { teamId, env: { BATCHDATA_TOKEN: token, BATCHDATA_BASE_URL: server.url } };
}

describe('the CLI against the real server', () => {
  it('sessions list prints a table of every session, or one page with --take', async () => {
    const { teamId, env } = await teamEnv();
    for (const id of ['alpha', 'bravo', 'charlie']) await server.store.createSession(teamId, id);

    const all = await runCli(['sessions', 'list'], env);
    expect(all.code).toBe(EXIT.ok);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+DELIVERED\s+CREATED\s+LAST REQUEST$/);
    expect(lines.slice(1, 4).map((line) => line.split(/\s+/)[0])).toEqual(['alpha', 'bravo', 'charlie']);
    expect(lines[4]).toBe('3 sessions.');

    const page = await runCli(['sessions', 'list', '--skip', '1', '--take', '1'], env);
    expect(page.stdout.trimEnd().split('\n').slice(1)).toEqual([expect.stringMatching(/^bravo\s/), '1 of 3 sessions.']);
  });

  it('search --session delivers page after page, and says so', async () => {
    const { env } = await teamEnv();
    const argv = ['search', '--query', 'AZ', '--session', 'cli-run', '--take', '5'];

    const first = await runCli(argv, env);
    const second = await runCli([...argv, '--json'], env);

    expect(first.code).toBe(EXIT.ok);
    expect(first.stdout).toMatch(/Session cli-run \(created by this request\): 5 properties delivered now, 0 before\. 5 of [\d,]+ matches\.\n$/);
    expect(JSON.parse(second.stdout).meta.searchSession).toEqual({ id: 'cli-run', isNewSession: false, totalDelivered: 5, delivered: 5 });
  });

  it('sessions delete deletes, then exits 3 for the session that is gone', async () => {
    const { teamId, env } = await teamEnv();
    await server.store.createSession(teamId, 'doomed');

    expect(await runCli(['sessions', 'delete', 'doomed'], env)).toEqual({ code: EXIT.ok, stdout: 'Deleted search session doomed.\n', stderr: '' });
    const again = await runCli(['sessions', 'delete', 'doomed', '--json'], env);

    expect(again.code).toBe(EXIT.api);
    expect(JSON.parse(again.stderr)).toEqual({
      error: { kind: 'search-session-not-found', status: 404, message: 'Search session not found: doomed', requestId: expect.stringMatching(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/) },
    });
  });

  it('exits 3 for a token the API refuses, 2 for an id the SDK refuses, 4 when nothing listens', async () => {
    const { env } = await teamEnv();
    expect((await runCli(['sessions', 'list'], { ...env, BATCHDATA_TOKEN: 'bds_revoked' })).code).toBe(EXIT.api);
    expect((await runCli(['sessions', 'delete', 'a.b'], env)).code).toBe(EXIT.usage);
    const unreachable = await runCli(['sessions', 'delete', 'x'], { ...env, BATCHDATA_BASE_URL: await refusingUrl() });
    expect(unreachable.code).toBe(EXIT.network);
    expect(unreachable.stderr).toMatch(/^Error: Could not reach BatchData at http:\/\/127\.0\.0\.1:\d+: fetch failed: connect ECONNREFUSED/);
  });
});
