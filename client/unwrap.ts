// openapi-fetch reports failure as `{ error }`; the SDK's helpers throw instead, so a caller's
// happy path holds only the typed 2xx body.
import { apiErrorFrom, undocumentedBodyError } from './error-response.js';

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export async function unwrap<T>(pending: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw apiErrorFrom(response, error);
  // openapi-fetch yields undefined for an empty 2xx body; every success here documents one.
  if (data === undefined) throw undocumentedBodyError(response, data, 'response');
  return data;
}
