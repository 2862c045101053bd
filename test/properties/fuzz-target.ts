// The real server the properties are sent to: in-process, its own SQLite store, response
// validation on, rate limit out of reach. One team owns the tokens the credentials stand for;
// a second team holds sessions under the same ids, which no request of the first may touch.
import { issueToken } from '../../server/admin/bootstrap.js';
import { batchesOf, syntheticList } from '../support/search.js';
import { startTestServer, type TestServer } from '../support/servers/test-server.js';
import type { Tokens } from './credentials.js';

export interface FuzzTarget {
  url: string;
  server: TestServer;
  tokens: Tokens;
  memberTeam: number;
  otherTeam: number;
  close(): Promise<void>;
}

export async function startFuzzTarget(options: { sessions?: readonly string[]; properties?: number } = {}): Promise<FuzzTarget> {
  const server = await startTestServer();
  const member = await server.team();
  const other = await server.team();
  const limited = await server.token(member.teamId, ['property-search']);
  const revoked = await issueToken(server.store, member.teamId, ['property-search', 'property-search-sessions']);
  await server.store.revokeToken(revoked.info.id);
  for (const id of options.sessions ?? []) {
    await server.store.createSession(member.teamId, id);
    await server.store.createSession(other.teamId, id);
  }
  if (options.properties) await server.store.importProperties(batchesOf(await syntheticList(options.properties, 11)));
  return {
    url: server.url,
    server,
    tokens: { member: member.token, limited, revoked: revoked.token },
    memberTeam: member.teamId,
    otherTeam: other.teamId,
    close: () => server.close(),
  };
}
