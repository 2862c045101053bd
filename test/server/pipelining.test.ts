// Pipelined requests in one write, the last with a raw space the parser refuses and the server
// repairs. Every request must run once and every answer arrive, in order: a session page must never
// be recorded as delivered without reaching the client, a delete never run twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelined, requestBytes } from '../support/servers/raw-http.js';
import { batchesOf, SEARCH_PATH, syntheticList } from '../support/search.js';
import { call, startTestServer, type TestServer } from '../support/servers/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await server.store.importProperties(batchesOf(await syntheticList(500, 5)));
});
afterAll(() => server.close());

const LIST = '/api/v2/property/search-sessions';
const headersFor = (token: string) => ({ Host: 'localhost', Authorization: `Bearer ${token}` });
const pageRequest = (token: string, session: string) =>
  requestBytes('POST', SEARCH_PATH, headersFor(token), JSON.stringify({ searchCriteria: { query: 'AZ' }, options: { take: 5, searchSession: session } }));
const rawSpaceList = (token: string) => requestBytes('GET', `${LIST}?x=a b`, headersFor(token));

async function delivered(token: string, session: string): Promise<number | undefined> {
  const listed = await call(server.url, `${LIST}?take=100`, { token });
  return listed.body.results.sessions.find((s: { id: string }) => s.id === session)?.totalDelivered;
}

describe('pipelined requests before one the parser refuses', () => {
  it('a session page, then a raw space: the page is answered once and the refused request gets its own answer', async () => {
    const { token } = await server.team();
    const responses = await pipelined(server.url, [pageRequest(token, 'pipe-1'), rawSpaceList(token)], 2);
    expect(responses.map((r) => r.status)).toEqual([200, 400]);
    expect((responses[0]!.body as any).results.properties).toHaveLength(5);
    // The same answer as for the encoded form: the parameter is unknown, not the request unparseable.
    expect((responses[1]!.body as any).status.message).toBe('Unknown query parameter: x');
    expect(await delivered(token, 'pipe-1')).toBe(5);
  });

  it('three pages and a raw space: three pages received, fifteen delivered, none twice', async () => {
    const { token } = await server.team();
    const page = pageRequest(token, 'pipe-3');
    const responses = await pipelined(server.url, [page, page, page, rawSpaceList(token)], 4);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 400]);
    const ids = responses.slice(0, 3).flatMap((r) => (r.body as any).results.properties.map((p: { id: number }) => p.id));
    expect(new Set(ids).size).toBe(15);
    expect(await delivered(token, 'pipe-3')).toBe(15);
  });

  it('a delete, then a raw space: the delete runs once and both answers arrive', async () => {
    const { token } = await server.team();
    await pipelined(server.url, [pageRequest(token, 'pipe-delete')], 1);
    const responses = await pipelined(server.url, [requestBytes('DELETE', `${LIST}/pipe-delete`, headersFor(token)), rawSpaceList(token)], 2);
    expect(responses.map((r) => r.status)).toEqual([200, 400]);
    expect((responses[0]!.body as any).results).toMatchObject({ deleted: true, id: 'pipe-delete' });
  });

  it('requests after the repaired one on the same connection are answered too, in order', async () => {
    const { token } = await server.team();
    const list = requestBytes('GET', `${LIST}?take=1`, headersFor(token));
    const responses = await pipelined(server.url, [list, rawSpaceList(token), list, rawSpaceList(token), list], 5);
    expect(responses.map((r) => r.status)).toEqual([200, 400, 200, 400, 200]);
  });

  it('a refusal the repair cannot mend (a control byte in a header) gets the JSON 400', async () => {
    const responses = await pipelined(server.url, [Buffer.from(`GET ${LIST}?x=a b HTTP/1.1\r\nHost: x\r\n`), Buffer.from('\x01\r\n\r\n')], 1);
    expect(responses.map((r) => r.status)).toEqual([400]);
    expect((responses[0]!.body as any).status.message).toBe('The request could not be parsed as HTTP.');
  });
});
