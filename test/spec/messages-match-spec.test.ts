// The server's messages, the spec's named examples and the contract are three copies of one
// sentence each; this holds the server's and the spec's together (the contract tests hold the
// server to openapi.yaml's exact wording).
import { expect, it } from 'vitest';
import { messages } from '../../server/http/messages.js';
import { badRequest, ruleFor } from '../../server/http/validation.js';
import { loadSpec, resolveRef, type ParameterSchema } from '../../server/spec.js';

const spec = loadSpec();
const examples = spec.components.examples as Record<string, { value: { status: { message?: string } } }>;
const exampleMessage = (name: string) => examples[name]!.value.status.message;
const parameterSchema = (name: string) =>
  resolveRef<ParameterSchema>(spec, (spec.components.parameters as Record<string, { schema: ParameterSchema }>)[name]!.schema);

it.each([
  ['InvalidToken', messages.invalidToken],
  ['MissingAbility', messages.forbidden],
  ['RateLimitExceeded', messages.rateLimited(3000)],
  ['SessionNotFound', messages.sessionNotFound('monthly-leads-az-85020')],
  ['UnknownQueryParameter', badRequest.unknownQueryParameter('limit')],
  ['MethodNotAllowed', messages.methodNotAllowed('PUT', ['DELETE'])],
  ['InternalError', messages.internal],
  ['StoreUnavailable', messages.unavailable],
  ['TooManyFailedAuthentications', messages.tooManyFailedAuthentications(42)],
  ['RequestTimeout', messages.requestTimeout(10, 30)],
  ['TooManyConnectionsFromAddress', messages.tooManyConnectionsFromAddress(256)],
  ['InvalidSearchSessionId', ruleFor('searchSessionId', parameterSchema('SearchSessionIdInPath'))],
  ['InvalidSkip', ruleFor('skip', parameterSchema('Skip'))],
  ['InvalidTake', ruleFor('take', parameterSchema('Take'))],
  ['InvalidIdempotencyKey', ruleFor('Idempotency-Key', parameterSchema('IdempotencyKey'))],
  ['MalformedRequest', badRequest.malformedRequest],
  ['BodyTooLarge', messages.bodyTooLarge(65_536)],
  ['ContentTypeNotJson', messages.contentTypeNotJson],
  ['UnsupportedCharset', messages.unsupportedCharset('latin1')],
  ['UnsupportedContentEncoding', messages.unsupportedContentEncoding('compress')],
  ['SkipWithSession', badRequest.skipWithSession],
  ['InvalidPageCursor', badRequest.invalidPageCursor],
  ['PageCursorOtherSearch', badRequest.pageCursorOtherSearch],
  ['PageCursorExpired', badRequest.pageCursorExpired(24)],
  ['PageCursorWithoutCursorPagination', badRequest.pageCursorWithoutCursorPagination],
  ['SkipWithCursor', badRequest.skipWithCursor],
  ['CursorWithSession', badRequest.cursorWithSession],
])('example %s carries the message the server sends', (example, message) => {
  expect(exampleMessage(example)).toBe(message);
});

it('states the seed messages to the byte', () => {
  expect(ruleFor('searchSessionId', parameterSchema('SearchSessionIdInPath'))).toBe('searchSessionId must match /^[a-zA-Z0-9_-]{1,128}$/');
  expect(messages.forbidden).toBe('Provided token does not have permission to access this API.');
  expect(messages.sessionNotFound('x')).toBe('Search session not found: x');
});
