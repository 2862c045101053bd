// The compiled server as an operator runs it: first start, the seed's curl examples, the admin CLI,
// configuration errors, health endpoints and a graceful stop under load.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/servers/raw-http.js';
import { admin, spawnServer, startMain, type ServerProcess } from '../support/servers/server-process.js';
import { expectMatchesSpec } from '../support/spec-contract.js';

const curl = async (args: string[]) => (await promisify(execFile)('curl', ['-s', '-i', ...args])).stdout;

function parseCurl(output: string) {
  const [head = '', body = ''] = output.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) };
}

describe('npm start on an empty SQLite store', () => {
  let dir: string;
  let env: Record<string, string>;
  let server: ServerProcess;
  let token: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bd-e2e-'));
    env = { DATABASE_URL: `sqlite:${join(dir, 'data', 'batchdata.db')}` };
    server = await spawnServer(env);
    token = /\n {2}(bds_[A-Za-z0-9_-]+)\n/.exec(server.stdout())?.[1] ?? '';
  });
  afterAll(async () => {
    await server.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a demo token with both abilities and a ready-to-paste curl command', () => {
    expect(token).toMatch(/^bds_/);
    expect(server.stdout()).toContain(`curl -s '${server.url}/api/v2/property/search-sessions' -H 'Authorization: Bearer ${token}'`);
  });

  it("runs the seed's DELETE curl example against the local server", async () => {
    const created = await admin(['sessions', 'create', '--team', 'demo', '--id', 'monthly-leads-az-85020'], env);
    expect(created.code).toBe(0);
    const response = parseCurl(await curl(['-X', 'DELETE', `${server.url}/api/v2/property/search-sessions/monthly-leads-az-85020`, '-H', `Authorization: Bearer ${token}`]));
    expectMatchesSpec('deleteSearchSession', response);
    expect(response.body).toEqual({
      status: { code: 200, text: 'OK' },
      results: { deleted: true, id: 'monthly-leads-az-85020', meta: { requestId: response.headers['x-request-id'] } },
    });
    const again = parseCurl(await curl(['-X', 'DELETE', `${server.url}/api/v2/property/search-sessions/monthly-leads-az-85020`, '-H', `Authorization: Bearer ${token}`]));
    expect(again.status).toBe(404);
  });

  it('answers curl --path-as-is with the 400 for a dot-dot id', async () => {
    const response = parseCurl(await curl(['--path-as-is', '-X', 'DELETE', `${server.url}/api/v2/property/search-sessions/..`, '-H', `Authorization: Bearer ${token}`]));
    expect(response.status).toBe(400);
    expect(response.body.status.message).toBe('searchSessionId must match /^[a-zA-Z0-9_-]{1,128}$/');
  });

  it('lets an operator make a team and a limited token with the admin CLI, then refuses what it lacks', async () => {
    expect((await admin(['teams', 'create', 'acme'], env)).code).toBe(0);
    const issued = await admin(['tokens', 'create', '--team', 'acme', '--ability', 'property-search'], env);
    expect(issued.code).toBe(0);
    expect(issued.stdout).toMatch(/^bds_[A-Za-z0-9_-]+\n$/);
    const limited = issued.stdout.trim();
    const response = parseCurl(await curl([`${server.url}/api/v2/property/search-sessions`, '-H', `Authorization: Bearer ${limited}`]));
    expect(response.status).toBe(403);
    const listed = await admin(['tokens', 'list', '--team', 'acme'], env);
    expect(listed.stdout).not.toContain(limited);
    const tokenId = /tok_[0-9a-f]{16}/.exec(listed.stdout)![0];
    expect((await admin(['tokens', 'revoke', tokenId], env)).code).toBe(0);
    expect(parseCurl(await curl([`${server.url}/api/v2/property/search-sessions`, '-H', `Authorization: Bearer ${limited}`])).status).toBe(401);
  });

  it('serves /healthz and /readyz outside the API', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: 'ok' } });
  });

  it('never logs the token or the Authorization header', () => {
    const logs = server.stdout().split('\n').filter((line) => line.startsWith('{'));
    expect(logs.length).toBeGreaterThan(3);
    for (const line of logs) {
      expect(line).not.toContain(token);
      expect(line.toLowerCase()).not.toContain('authorization');
    }
  });
});

describe('a second start on the same store', () => {
  it('prints no new token, and finishes in-flight requests when stopped with SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bd-e2e-'));
    const env = { DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` };
    try {
      const first = await spawnServer(env);
      const token = /\n {2}(bds_[A-Za-z0-9_-]+)\n/.exec(first.stdout())![1]!;
      expect(await first.stop()).toBe(0);

      const second = await spawnServer(env);
      expect(second.stdout()).not.toContain('bds_');
      // 300 requests in flight; the stop comes in the middle. Every request the server accepted
      // must get a whole answer: a refused connection is fine, a cut-off one is not. One
      // connection per request, so each outcome is the server's doing: fetch's shared pool has
      // been seen to leave requests queued forever once the server is gone.
      const requests = Array.from({ length: 300 }, () =>
        rawRequest(second.url, '/api/v2/property/search-sessions', { method: 'GET', token }).then(
          (r) => ({ status: r.status, body: r.body, refusal: '' }),
          (error: NodeJS.ErrnoException) => ({ status: 0, body: null, refusal: error.code ?? error.message }),
        ),
      );
      await new Promise((r) => setTimeout(r, 15));
      const stopped = second.stop();
      const results = await Promise.all(requests);
      expect(await stopped).toBe(0);
      expect(second.stdout()).toContain('"msg":"server stopped"');
      const answered = results.filter((r) => r.status === 200);
      const refused = results.filter((r) => r.status === 0);
      expect(answered.length).toBeGreaterThan(0);
      for (const result of answered) expect(result.body).toMatchObject({ status: { code: 200, text: 'OK' } });
      // Refused: no connection, or one closed before its request was read (no byte of an answer).
      for (const result of refused) expect(result.refusal).toMatch(/^(ECONNREFUSED|ECONNRESET|no HTTP response: "")$/);
      expect(answered.length + refused.length).toBe(300);
      // The log lines of the last moments reach stdout before the process exits: none is lost.
      const logged = second.stdout().split('\n').filter((line) => line.includes('"msg":"request"'));
      expect(logged.length).toBeGreaterThanOrEqual(answered.length);
      expect(second.stdout().trimEnd().split('\n').at(-1)).toContain('"msg":"server stopped"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('configuration errors stop the start with a message naming the variable', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT must be an integer between 0 and 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT must be an integer between 0 and 65535 (got "70000")'],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, 'RATE_LIMIT_PER_MINUTE must be an integer between 1 and 1000000000 (got "0")'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL must look like sqlite:<path> or postgres://<user>@<host>:<port>/<database> (got "mysql://localhost/db")'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL must look like redis://<host>:<port> (got "localhost:6379")'],
  ])('%j', async (env, message) => {
    const result = await startMain(env);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`Configuration error: ${message}\n`);
  });
});
