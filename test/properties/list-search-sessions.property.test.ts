// listSearchSessions with generated query strings and credentials: every answer is documented for
// the operation and is the one the contract owes: 401, 403, then 400 with the rule's words for a
// skip or take that is not an integer in range, a repeated one or an unknown parameter, else 200
// with the team's true total.
import { expect } from 'vitest';
import { owedTo } from './credentials.js';
import { owedToList, queryParameters, queryString } from './list-queries.js';
import { itAnswersAsSpecified, useFuzzTarget } from './operation-property.js';

const SESSIONS = Array.from({ length: 7 }, (_, i) => `listed-${i}`);

itAnswersAsSpecified({
  operationId: 'listSearchSessions',
  target: useFuzzTarget({ sessions: SESSIONS }),
  inputs: queryParameters,
  runs: 2_000,
  examples: [
    // Query parameter names are case-sensitive: TAKE is not take, so it is an unknown parameter.
    [{ kind: 'member' }, [{ name: 'TAKE', value: '5', bare: false }]],
    // An integer >= 0, however large, is a valid skip: past the end, an empty page.
    [{ kind: 'member' }, [{ name: 'skip', value: '9223372036854775808', bare: false }]],
  ],
  request: (parameters) => ({ method: 'GET', target: `/api/v2/property/search-sessions${queryString(parameters)}` }),
  owed: (credential, parameters) => owedTo(credential, owedToList(parameters).statuses),
  alsoCheck(response, parameters) {
    const { messages } = owedToList(parameters);
    const body = response.body as { status: { message?: string }; results?: { total: number } };
    if (response.status === 400 && messages) expect(messages).toContain(body.status.message);
    if (response.status === 200) expect(body.results!.total).toBe(SESSIONS.length);
  },
});
