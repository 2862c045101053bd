// The raw client builds URLs from the same parameters as the helpers, so it gets the same checks:
// otherwise `raw.DELETE(…, { params: { path: { searchSessionId: '..' } } })` would send a request
// for a different resource. openapi-fetch runs this after building the Request, before fetching.
import type { Middleware } from 'openapi-fetch';
import { assertPageQuery, assertSearchSessionId } from './validation.js';

export const parameterGuard: Middleware = {
  onRequest({ schemaPath, params }) {
    if (schemaPath.includes('{searchSessionId}')) assertSearchSessionId(params.path?.searchSessionId);
    assertPageQuery(params.query ?? {});
  },
};
