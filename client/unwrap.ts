// openapi-fetch reports failure as `{ error }`; the SDK's helpers throw instead, so a caller's
// happy path holds only the typed 2xx body. Helpers ask openapi-fetch for text and parse it here,
// so a 2xx that is not JSON becomes an UnexpectedResponseError carrying the Response, not a bare
// SyntaxError.
import { apiErrorFrom, undocumentedSuccessError, type ApiErrorFactory } from './error-response.js';

interface TextResult {
  data?: string;
  error?: unknown;
  response: Response;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function unwrap<T>(
  pending: Promise<TextResult>,
  documented?: Readonly<Record<number, ApiErrorFactory>>,
): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw apiErrorFrom(response, error, documented);
  const body = parseJson(data);
  // Every success this API documents is a JSON object.
  if (typeof body !== 'object' || body === null) throw undocumentedSuccessError(response, body);
  return body as T;
}
