// searchProperties with generated bodies, content types, Idempotency-Keys and credentials: every
// answer is documented for the operation and is the one the contract owes: 401 without a valid
// token; 403 when the body names a session and the token lacks property-search-sessions (before
// the body is validated); 415 for a body not sent as JSON; 400 for a request outside the spec; else
// 200, or 409 for a session (the team's 100 slots, a reused key).
import { owedTo } from './credentials.js';
import { itAnswersAsSpecified, useFuzzTarget } from './operation-property.js';
import { namesSession, owedToSearch, searchRequests } from './search-requests.js';

itAnswersAsSpecified({
  operationId: 'searchProperties',
  target: useFuzzTarget({ properties: 2_000 }),
  inputs: searchRequests,
  runs: 2_000,
  examples: [
    // An integer >= 0, however large, is a valid skip: past the end, an empty page.
    [{ kind: 'member' }, { contentType: 'application/json', body: '{"searchCriteria":{"query":"AZ"},"options":{"skip":9223372036854775808}}', idempotencyKey: null }],
    // A field name is any string: one holding a stray % is an unknown field like any other.
    [{ kind: 'member' }, { contentType: 'application/json', body: '{"searchCriteria":{"query":"AZ"},"options":{"%":1}}', idempotencyKey: null }],
  ],
  request: ({ contentType, idempotencyKey, body }) => ({
    method: 'POST',
    target: '/api/v1/property/search',
    headers: {
      ...(contentType === null ? {} : { 'Content-Type': contentType }),
      ...(idempotencyKey === null ? {} : { 'Idempotency-Key': idempotencyKey }),
    },
    body,
  }),
  // property-search is enough for a search; a body that names a session asks for more.
  owed: (credential, request) => owedTo(credential, owedToSearch(request), namesSession(request) ? [403] : owedToSearch(request)),
});
