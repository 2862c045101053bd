// Async iterators over the kinds of paging the API has. Each asks for its next page only when
// the loop asks for its next item, so breaking out of a loop stops the requests, and a search
// session advances no further than the pages the caller has taken.
import type {
  CursorWalkRequest,
  ListSearchSessionsQuery,
  ListSearchSessionsResponse,
  SearchPropertiesResponse,
  SearchSession,
  SearchRequest,
  SessionSearchRequest,
} from './types.js';

type ListPage = (query: ListSearchSessionsQuery) => Promise<ListSearchSessionsResponse>;
type SearchPage = (body: SessionSearchRequest) => Promise<SearchPropertiesResponse>;
type CursorPage = (body: SearchRequest) => Promise<SearchPropertiesResponse>;

/**
 * Every session of the team, oldest first, `take` per request. Skip/take paging: a session deleted
 * while the loop runs can make the next page start one later, so one session may be missed.
 */
export async function* eachSearchSession(listPage: ListPage, take: number | undefined): AsyncGenerator<SearchSession, void, undefined> {
  for (let skip = 0; ; ) {
    const { sessions, total } = (await listPage({ skip, take })).results;
    yield* sessions;
    skip += sessions.length;
    if (sessions.length === 0 || skip >= total) return;
  }
}

/**
 * The session's pages until it is exhausted: a page that delivers nothing ends the loop and is not
 * yielded. Each page is one request with its own Idempotency-Key, reused by that request's retries.
 */
export async function* eachSessionPage(searchPage: SearchPage, body: SessionSearchRequest): AsyncGenerator<SearchPropertiesResponse, void, undefined> {
  for (;;) {
    const page = await searchPage(body);
    const { properties, meta } = page.results;
    if ((meta.searchSession?.delivered ?? properties.length) === 0) return;
    yield page;
  }
}

/**
 * Every page of a walk by cursor, the last one included: the first page asks for cursor pagination
 * (after `options.pageCursor` when given), each next page sends the previous page's
 * `nextPageCursor`, and the page without one ends the loop.
 * A page read by cursor changes nothing on the server, so a retried page is the same page.
 */
export async function* eachCursorPage(searchPage: CursorPage, body: CursorWalkRequest): AsyncGenerator<SearchPropertiesResponse, void, undefined> {
  const take = body.options?.take;
  let pageCursor = body.options?.pageCursor;
  do {
    const options = { ...(take === undefined ? {} : { take }), useCursorPagination: true as const, ...(pageCursor === undefined ? {} : { pageCursor }) };
    const page = await searchPage({ searchCriteria: body.searchCriteria, options });
    yield page;
    pageCursor = page.results.nextPageCursor;
  } while (pageCursor !== undefined);
}
