// Every sentence a client can read in an error, in one place. Those openapi.yaml fixes
// are matched to the byte; openapi.yaml's examples and response schemas repeat them, and the tests
// hold the three together.
export const messages = {
  invalidToken: 'Invalid token.',
  forbidden: 'Provided token does not have permission to access this API.',
  rateLimited: (limitPerMinute: number) =>
    `Rate limit exceeded: ${limitPerMinute} requests per minute per token.`,
  tooManyFailedAuthentications: (retryAfterSeconds: number) =>
    `Too many failed authentications from this address: retry in ${retryAfterSeconds} s.`,
  sessionNotFound: (id: string) => `Search session not found: ${id}`,
  unknownQueryParameter: (name: string) => `Unknown query parameter: ${name}`,
  pathNotFound: (path: string) => `No operation at ${path}. See the API reference for the paths this API has.`,
  methodNotAllowed: (method: string, allow: readonly string[]) =>
    `Method ${method} is not allowed on this path. Allowed: ${allow.join(', ')}.`,
  sessionLimitReached: (slots: number) =>
    `Search session limit reached: this team already has ${slots} sessions. Delete one to free a slot.`,
  idempotencyKeyReused: 'Idempotency-Key was already used with a different request body on this session.',
  skipWithSession: 'options.skip cannot be used with options.searchSession: a search session is forward-only.',
  invalidPageCursor: 'options.pageCursor is not a cursor this server issued: send results.nextPageCursor from the previous page unchanged.',
  pageCursorOtherSearch: 'options.pageCursor belongs to another search: a cursor continues only the search, and the team, it was issued for.',
  pageCursorExpired: (hours: number) =>
    `options.pageCursor has expired: a cursor is honoured for ${hours} hours after it was issued. Start the walk again without options.pageCursor.`,
  pageCursorWithoutCursorPagination: 'options.pageCursor needs options.useCursorPagination: true.',
  skipWithCursor: 'options.skip cannot be used with options.useCursorPagination: the cursor marks where the next page starts.',
  cursorWithSession: 'options.useCursorPagination cannot be used with options.searchSession: a search session keeps its own place.',
  invalidSearchQuery: 'searchCriteria.query must be a ZIP code (85020), a state (AZ) or a city and state (Phoenix, AZ)',
  bodyNotJsonObject: 'The request body must be a JSON object.',
  contentTypeNotJson: 'Content-Type must be application/json.',
  bodyTooLarge: (limitBytes: number) => `The request body is larger than ${limitBytes} bytes.`,
  unsupportedCharset: (charset: string) =>
    `Content-Type charset ${charset} is not supported: the request body must be UTF-8 (RFC 8259).`,
  unsupportedContentEncoding: (encoding: string) =>
    `Content-Encoding ${encoding} is not supported: send gzip, deflate, br or identity.`,
  unknownField: (field: string) => `Unknown field: ${field}`,
  missingField: (field: string) => `${field} is required`,
  malformedRequest: 'The request could not be parsed as HTTP.',
  requestTimeout: (headersSeconds: number, requestSeconds: number) =>
    `The request did not arrive in time: its headers must arrive within ${headersSeconds} s and the whole request within ${requestSeconds} s.`,
  tooManyConnections: (max: number) =>
    `The server holds its maximum of ${max} open connections. Retry after the number of seconds in Retry-After.`,
  tooManyConnectionsFromAddress: (max: number) =>
    `Too many open connections from this address (at most ${max}). Close idle ones, or retry after the number of seconds in Retry-After.`,
  internal: 'An unexpected error occurred. Quote the request id to support.',
  unavailable: 'The service is temporarily unavailable. Retry after the number of seconds in Retry-After.',
} as const;
