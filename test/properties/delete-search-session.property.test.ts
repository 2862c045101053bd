// deleteSearchSession with generated ids and credentials, sent raw: every answer is documented for
// the operation and is the one the contract owes: 401 without a valid token, 403 without the
// ability, 400 for an id outside the pattern, else 404 or, for a session the team has, 200, the
// 400 and 404 in the contract's words. The other team's sessions of the same ids survive it all.
import { expect, it } from 'vitest';
import { owedTo } from './credentials.js';
import { itAnswersAsSpecified, useFuzzTarget } from './operation-property.js';
import { messageOwedToDelete, owedToDelete, rawSessionIds } from './session-ids.js';

const EXISTING = Array.from({ length: 40 }, (_, i) => `pool-${i}`);
const existing = new Set(EXISTING);
const target = useFuzzTarget({ sessions: EXISTING });

itAnswersAsSpecified({
  operationId: 'deleteSearchSession',
  target,
  inputs: rawSessionIds(EXISTING),
  runs: 2_000,
  request: (rawId) => ({ method: 'DELETE', target: `/api/v2/property/search-sessions/${rawId}` }),
  owed: (credential, rawId) => owedTo(credential, owedToDelete(rawId, existing)),
  alsoCheck(response, rawId) {
    const message = messageOwedToDelete(rawId, response.status);
    if (message !== undefined) expect((response.body as { status: { message: string } }).status.message).toBe(message);
  },
});

it("leaves the other team's sessions of the same ids alone", async () => {
  const { total } = await target().server.store.listSessions(target().otherTeam, 0, 100);
  expect(total).toBe(EXISTING.length);
});
