// The fetch the SDK's helpers hand to openapi-fetch. It draws the line for "network error": a
// TypeError from fetch itself or from reading the answer's body (a reset mid-body) becomes
// BatchDataNetworkError, while a TypeError from building the request (a bad header value) stays a
// TypeError, and is not retried. `client.raw` keeps the plain fetch.
import { BatchDataNetworkError } from './transport-error.js';

export type Fetch = (request: Request) => Promise<Response>;

// Statuses whose Response may not be constructed with a body.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export function classifyingFetch(fetchFn: Fetch): Fetch {
  return async (request) => {
    try {
      const response = await fetchFn(request);
      // Read here, so a failure while reading is classified here too.
      const body = await response.arrayBuffer();
      const { status, statusText, headers } = response;
      return new Response(NULL_BODY_STATUSES.has(status) ? null : body, { status, statusText, headers });
    } catch (error) {
      // An abort is the call runner's to classify: it knows whose signal fired.
      if (request.signal.aborted || !(error instanceof TypeError)) throw error;
      throw new BatchDataNetworkError(error, URL.canParse(request.url) ? new URL(request.url).origin : undefined);
    }
  };
}
