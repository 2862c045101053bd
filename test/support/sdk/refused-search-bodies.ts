// Search bodies the API refuses, with the field and the words of its 400. The SDK must refuse each
// before sending (test/client/search-properties.test.ts) in exactly the server's words
// (test/client/real-server-search.test.ts).
const QUERY_RULE = 'searchCriteria.query must be a ZIP code (85020), a state (AZ) or a city and state (Phoenix, AZ)';
const TAKE_RULE = 'options.take must be an integer between 1 and 500';
const SESSION_RULE = 'options.searchSession must match /^[a-zA-Z0-9_-]{1,128}$/';
const SKIP_WITH_SESSION = 'options.skip cannot be used with options.searchSession: a search session is forward-only.';
const NOT_AN_OBJECT = 'The request body must be a JSON object.';
const INVALID_CURSOR = 'options.pageCursor is not a cursor this server issued: send results.nextPageCursor from the previous page unchanged.';

const query = (text: unknown) => ({ searchCriteria: { query: text } });
const withOptions = (options: unknown) => ({ searchCriteria: { query: 'AZ' }, options });

export const REFUSED_SEARCH_BODIES: Array<[label: string, body: unknown, field: string, message: string]> = [
  ['null', null, 'body', NOT_AN_OBJECT],
  ['an array', [], 'body', NOT_AN_OBJECT],
  ['a string', '{"searchCriteria":{}}', 'body', NOT_AN_OBJECT],
  ['no searchCriteria', { options: {} }, 'searchCriteria', 'searchCriteria is required'],
  ['searchCriteria not an object', { searchCriteria: '85020' }, 'searchCriteria', 'searchCriteria must be an object'],
  ['an unknown top-level field', { searchCriteria: { query: 'AZ' }, limit: 5 }, 'limit', 'Unknown field: limit'],
  ['an unknown option', withOptions({ pageSize: 5 }), 'options.pageSize', 'Unknown field: options.pageSize'],
  ['an unknown criterion', { searchCriteria: { query: 'AZ', zip: '85020' } }, 'searchCriteria.zip', 'Unknown field: searchCriteria.zip'],
  ['no query', { searchCriteria: {} }, 'searchCriteria.query', 'searchCriteria.query is required'],
  ['a city without a state', query('Phoenix'), 'searchCriteria.query', QUERY_RULE],
  ['four digits', query('8502'), 'searchCriteria.query', QUERY_RULE],
  ['a number', query(85020), 'searchCriteria.query', QUERY_RULE],
  ['201 characters', query(`${'a'.repeat(197)}, AZ`), 'searchCriteria.query', QUERY_RULE],
  ['options not an object', withOptions(5), 'options', 'options must be an object'],
  ['take 0', withOptions({ take: 0 }), 'options.take', TAKE_RULE],
  ['take 501', withOptions({ take: 501 }), 'options.take', TAKE_RULE],
  ['take 1.5', withOptions({ take: 1.5 }), 'options.take', TAKE_RULE],
  ['take "10"', withOptions({ take: '10' }), 'options.take', TAKE_RULE],
  ['skip -1', withOptions({ skip: -1 }), 'options.skip', 'options.skip must be an integer >= 0'],
  ['session ..', withOptions({ searchSession: '..' }), 'options.searchSession', SESSION_RULE],
  ['session a/b', withOptions({ searchSession: 'a/b' }), 'options.searchSession', SESSION_RULE],
  ['session of 129', withOptions({ searchSession: 'a'.repeat(129) }), 'options.searchSession', SESSION_RULE],
  ['skip 0 with a session', withOptions({ skip: 0, searchSession: 's1' }), 'options.skip', SKIP_WITH_SESSION],
  ['useCursorPagination "true"', withOptions({ useCursorPagination: 'true' }), 'options.useCursorPagination', 'options.useCursorPagination must be true or false'],
  ['a cursor with a space', withOptions({ useCursorPagination: true, pageCursor: 'a b' }), 'options.pageCursor', INVALID_CURSOR],
  ['an empty cursor', withOptions({ useCursorPagination: true, pageCursor: '' }), 'options.pageCursor', INVALID_CURSOR],
  ['a cursor of 513', withOptions({ useCursorPagination: true, pageCursor: 'a'.repeat(513) }), 'options.pageCursor', INVALID_CURSOR],
  ['a cursor that is a number', withOptions({ useCursorPagination: true, pageCursor: 5 }), 'options.pageCursor', INVALID_CURSOR],
  ['a cursor without cursor pagination', withOptions({ pageCursor: 'abc' }), 'options.pageCursor', 'options.pageCursor needs options.useCursorPagination: true.'],
  ['skip with cursor pagination', withOptions({ useCursorPagination: true, skip: 0 }), 'options.skip', 'options.skip cannot be used with options.useCursorPagination: the cursor marks where the next page starts.'],
  ['a session with cursor pagination', withOptions({ useCursorPagination: true, searchSession: 's1' }), 'options.useCursorPagination', 'options.useCursorPagination cannot be used with options.searchSession: a search session keeps its own place.'],
];
