// Every sentence a client can read in an error other than a 400, in one place (the 400s, fixed and
// derived, are worded in validation.ts). Those openapi.yaml fixes are matched to the byte;
// openapi.yaml's examples and response schemas repeat them, and the tests hold the three together.
export const messages = {
  invalidToken: 'Invalid token.',
  forbidden: 'Provided token does not have permission to access this API.',
  rateLimited: (limitPerMinute: number) =>
    `Rate limit exceeded: ${limitPerMinute} requests per minute per token.`,
  tooManyFailedAuthentications: (retryAfterSeconds: number) =>
    `Too many failed authentications from this address: retry in ${retryAfterSeconds} s.`,
  sessionNotFound: (id: string) => `Search session not found: ${id}`,
  pathNotFound: (path: string) => `No operation at ${path}. See the API reference for the paths this API has.`,
  methodNotAllowed: (method: string, allow: readonly string[]) =>
    `Method ${method} is not allowed on this path. Allowed: ${allow.join(', ')}.`,
  sessionLimitReached: (slots: number) =>
    `Search session limit reached: this team already has ${slots} sessions. Delete one to free a slot.`,
  idempotencyKeyReused: 'Idempotency-Key was already used with a different request body on this session.',
  contentTypeNotJson: 'Content-Type must be application/json.',
  bodyTooLarge: (limitBytes: number) => `The request body is larger than ${limitBytes} bytes.`,
  unsupportedCharset: (charset: string) =>
    `Content-Type charset ${charset} is not supported: the request body must be UTF-8 (RFC 8259).`,
  unsupportedContentEncoding: (encoding: string) =>
    `Content-Encoding ${encoding} is not supported: send gzip, deflate, br or identity.`,
  requestTimeout: (headersSeconds: number, requestSeconds: number) =>
    `The request did not arrive in time: its headers must arrive within ${headersSeconds} s and the whole request within ${requestSeconds} s.`,
  tooManyConnections: (max: number) =>
    `The server holds its maximum of ${max} open connections. Retry after the number of seconds in Retry-After.`,
  tooManyConnectionsFromAddress: (max: number) =>
    `Too many open connections from this address (at most ${max}). Close idle ones, or retry after the number of seconds in Retry-After.`,
  internal: 'An unexpected error occurred. Quote the request id to support.',
  unavailable: 'The service is temporarily unavailable. Retry after the number of seconds in Retry-After.',
} as const;
