// The server behind Stoplight Prism in proxy mode: a representative request for every operation's
// success and every documented failure — each 400 kind, 401, 403, 404, 405, both 409s, 429, 500,
// 503, hostile ids — passes through Prism, and the run fails on anything Prism reports against a
// response, the warnings for an undocumented status included. A second Prism in front of a server
// that misbehaves on purpose shows that those reports are seen.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError, type Ability, type Store } from '../../server/store/store.js';
import { batchesOf, syntheticList } from '../support/search.js';
import { expectMatchesSpec } from '../support/spec-contract.js';
import { startTestServer, type TestServer } from '../support/servers/test-server.js';
import { cases, RATE_LIMIT, SESSIONS, type StoreFailure, type Who } from './prism-cases.js';
import { ROUTE_NOT_FOUND, responseVerdicts, startPrismProxy, wasRouted, type PrismProxy } from './support/prism.js';
import { send } from './support/send.js';

let storeFailure: StoreFailure | null = null;
const failWhenAsked = (store: Store): Store =>
  new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function' || key === 'close') return value;
      return (...args: unknown[]) => {
        if (storeFailure === 'unavailable') return Promise.reject(new StoreUnavailableError(new Error('SQLITE_IOERR')));
        if (storeFailure === 'unexpected') return Promise.reject(new Error('an unexpected failure'));
        return value.apply(target, args);
      };
    },
  });

describe('the real server behind Prism', () => {
  let server: TestServer;
  let prism: PrismProxy;
  let credentials: (who: Who) => Promise<Record<string, string>>;
  let sent = 0;

  beforeAll(async () => {
    server = await startTestServer({ rateLimitPerMinute: RATE_LIMIT, wrapStore: failWhenAsked });
    await server.store.importProperties(batchesOf(await syntheticList(1_000, 7)));
    const member = await server.team();
    const fullTeam = await server.team();
    for (let slot = 1; slot <= 100; slot++) await server.store.createSession(fullTeam.teamId, `slot-${slot}`);
    const throttled = await server.token(member.teamId);
    const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
    const fresh = async (teamId: number, abilities?: Ability[]) => bearer(await server.token(teamId, abilities));
    credentials = async (who) => {
      switch (who) {
        case 'nobody':
          return {};
        case 'stranger':
          return bearer('bds_NotATokenThisServerEverIssued0000000000000');
        case 'basic':
          return { Authorization: `Basic ${Buffer.from('demo:secret').toString('base64')}` };
        case 'member':
          return fresh(member.teamId);
        case 'limited':
          return fresh(member.teamId, ['property-search']);
        case 'fullTeam':
          return fresh(fullTeam.teamId);
        case 'throttled':
          return bearer(throttled);
      }
    };
    prism = await startPrismProxy(server.url);
  });
  afterAll(async () => {
    await prism?.stop();
    await server?.close();
  });

  it.each(cases)('$name → $status', async (testCase) => {
    const headers = { ...(await credentials(testCase.who)), ...testCase.request.headers };
    storeFailure = testCase.storeFails ?? null;
    const response = await send(prism.url, { ...testCase.request, headers }).finally(() => (storeFailure = null));
    sent++;
    expect(response.status, response.text).toBe(testCase.status);
    expect(responseVerdicts(response), 'what Prism found wrong with the response').toEqual([]);
    expect(wasRouted(response), 'whether Prism matched the request to an operation').toBe(testCase.operationId !== null);
    expectMatchesSpec(testCase.operationId, response);
  });

  it("leaves nothing against a response in Prism's log, which saw every request", async () => {
    await prism.settle(sent);
    expect(prism.requestsReceived(), prism.log()).toBe(cases.length);
    const violations = prism.loggedViolations();
    expect(violations.filter((violation) => violation.location !== 'request'), prism.log()).toEqual([]);
    expect(violations.filter((violation) => violation.message === ROUTE_NOT_FOUND)).toHaveLength(cases.filter((c) => c.operationId === null).length);
  });
});

// What Prism says about responses outside the spec, from a stand-in server that sends them.
describe('Prism in front of a server that breaks the spec', () => {
  const REQUEST_ID = '01M8K1CGMYCSE99Q9J8162T20V';
  const answers: Record<string, { status: number; headers: Record<string, string>; body: unknown }> = {
    undocumented: { status: 418, headers: { 'X-Request-Id': REQUEST_ID }, body: { status: { code: 418, text: "I'm a teapot", message: 'No.' }, meta: { requestId: REQUEST_ID } } },
    'wrong-body': {
      status: 200,
      headers: { 'X-Request-Id': REQUEST_ID, RateLimit: 'limit=5, remaining=4, reset=60', 'RateLimit-Policy': '5;w=60' },
      body: { status: { code: 200, text: 'OK' }, results: { deleted: false, id: 'wrong-body', meta: { requestId: REQUEST_ID } } },
    },
    'missing-headers': { status: 200, headers: {}, body: { status: { code: 200, text: 'OK' }, results: { deleted: true, id: 'missing-headers', meta: { requestId: REQUEST_ID } } } },
  };
  let upstream: Server;
  let prism: PrismProxy;

  beforeAll(async () => {
    upstream = createServer((request, response) => {
      const answer = answers[request.url!.split('/').pop()!]!;
      response.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.body));
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    prism = await startPrismProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    await prism?.stop();
    upstream?.close();
  });

  it.each([
    ['undocumented', /Unable to match the returned status code/],
    ['wrong-body', /results\.deleted must be equal to constant/],
    ['missing-headers', /required property 'x-request-id'/],
  ])('reports a response with %s, in the header and in the log', async (id, finding) => {
    const before = prism.loggedViolations().length;
    const response = await send(prism.url, { method: 'DELETE', target: `${SESSIONS}/${id}`, headers: { Authorization: 'Bearer x' } });
    expect(responseVerdicts(response).map((verdict) => verdict.message).join('\n')).toMatch(finding);
    await prism.settle(prism.requestsReceived());
    const logged = prism.loggedViolations().slice(before);
    expect(logged.some((violation) => violation.location.startsWith('response') && finding.test(violation.message))).toBe(true);
  });
});
