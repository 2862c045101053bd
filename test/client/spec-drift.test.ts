// The SDK checks parameters itself, with rules generated from openapi.yaml (generated/rules.ts, held
// to the spec by generated-drift.test.ts). This reads the spec a second way, through the schemas the
// operations really apply, and fails when the SDK's refusals or the production host stop matching it.
import { describe, expect, it } from 'vitest';
import { BatchDataValidationError, DEFAULT_BASE_URL } from '../../client/index.js';
import {
  CURSOR_CONFLICT_MESSAGES,
  IDEMPOTENCY_KEY_PATTERN,
  PAGE_CURSOR_RULE,
  SEARCH_QUERY_RULE,
  SEARCH_REQUEST_FIELDS,
  SEARCH_SESSION_ID_PATTERN,
  SEARCH_SKIP_RANGE,
  SEARCH_TAKE_RANGE,
  SKIP_RANGE,
  SKIP_WITH_SESSION_MESSAGE,
  TAKE_RANGE,
} from '../../generated/rules.js';
import { assertIdempotencyKey, assertPageQuery, assertSearchSessionId, checkedSearchRequest } from '../../client/input-checks.js';
import { loadSpec, resolveRef, type OpenApiDocument, type Parameter, type ParameterSchema } from '../../server/spec.js';

const spec = loadSpec();

function operation(operationId: string) {
  for (const item of Object.values(spec.paths)) {
    for (const candidate of Object.values(item)) {
      if (candidate.operationId === operationId) return candidate;
    }
  }
  throw new Error(`openapi.yaml has no operation ${operationId}`);
}

/** The schema an operation really applies to a parameter, following every reference. */
function parameterSchema(operationId: string, name: string): ParameterSchema {
  const parameters = (operation(operationId).parameters ?? []).map((p) => resolveRef<Parameter>(spec, p));
  const parameter = parameters.find((p) => p.name === name);
  if (parameter === undefined) throw new Error(`${operationId} has no parameter ${name}`);
  return resolveRef(spec, parameter.schema);
}

function component<T>(ref: string): T {
  return resolveRef<T>(spec, { $ref: ref });
}

function exampleMessage(name: string): string {
  return component<{ value: { status: { message: string } } }>(`#/components/examples/${name}`).value.status.message;
}

function refusalOf(check: () => void): string {
  try {
    check();
  } catch (error) {
    if (error instanceof BatchDataValidationError) return error.message;
    throw error;
  }
  throw new Error('the check accepted the value');
}

describe('the SDK\'s rules match openapi.yaml', () => {
  it('searchSessionId: same pattern, no flags, and the schema\'s length limits', () => {
    const schema = parameterSchema('deleteSearchSession', 'searchSessionId');
    expect(schema).toBe(component('#/components/schemas/SearchSessionId'));
    expect(SEARCH_SESSION_ID_PATTERN.source).toBe(schema.pattern);
    expect(SEARCH_SESSION_ID_PATTERN.flags).toBe('');

    const { minLength, maxLength } = schema;
    if (minLength === undefined || maxLength === undefined) throw new Error('SearchSessionId lost its length limits');
    expect(() => assertSearchSessionId('a'.repeat(minLength))).not.toThrow();
    expect(() => assertSearchSessionId('a'.repeat(maxLength))).not.toThrow();
    expect(refusalOf(() => assertSearchSessionId('a'.repeat(minLength - 1)))).toBe(exampleMessage('InvalidSearchSessionId'));
    expect(refusalOf(() => assertSearchSessionId('a'.repeat(maxLength + 1)))).toBe(exampleMessage('InvalidSearchSessionId'));
  });

  it('skip: an integer with the same minimum and no maximum', () => {
    const schema = parameterSchema('listSearchSessions', 'skip');
    expect(schema).toBe(component<Parameter>('#/components/parameters/Skip').schema);
    expect(schema.type).toBe('integer');
    expect({ minimum: schema.minimum, maximum: schema.maximum }).toEqual({ ...SKIP_RANGE, maximum: undefined });
    expect(refusalOf(() => assertPageQuery({ skip: SKIP_RANGE.minimum - 1 }))).toBe(exampleMessage('InvalidSkip'));
  });

  it('take: an integer with the same minimum and maximum', () => {
    const schema = parameterSchema('listSearchSessions', 'take');
    expect(schema).toBe(component<Parameter>('#/components/parameters/Take').schema);
    expect(schema.type).toBe('integer');
    expect({ minimum: schema.minimum, maximum: schema.maximum }).toEqual(TAKE_RANGE);
    expect(refusalOf(() => assertPageQuery({ take: TAKE_RANGE.maximum + 1 }))).toBe(exampleMessage('InvalidTake'));
  });

  it('the default base URL is the spec\'s first server', () => {
    const { servers } = spec as OpenApiDocument & { servers?: Array<{ url: string }> };
    expect(servers?.[0]?.url).toBe(DEFAULT_BASE_URL);
  });
});

interface BodySchema extends ParameterSchema {
  properties?: Record<string, BodySchema>;
  additionalProperties?: boolean;
  'x-rule'?: string;
}

describe('the SDK\'s search body rules match openapi.yaml', () => {
  const request = component<BodySchema>('#/components/schemas/SearchRequest');
  const levels: Record<keyof typeof SEARCH_REQUEST_FIELDS, BodySchema> = {
    '': request,
    searchCriteria: request.properties!.searchCriteria!,
    options: request.properties!.options!,
  };
  const field = (level: 'searchCriteria' | 'options', name: string) => resolveRef<BodySchema>(spec, levels[level].properties![name]!);

  it('the same fields at each level, and no others allowed', () => {
    for (const [level, fields] of Object.entries(SEARCH_REQUEST_FIELDS)) {
      const schema = levels[level as keyof typeof SEARCH_REQUEST_FIELDS];
      expect(Object.keys(schema.properties ?? {})).toEqual(fields);
      expect(schema.additionalProperties).toBe(false);
    }
    expect(refusalOf(() => checkedSearchRequest({ searchCriteria: { query: 'AZ' }, options: { pageSize: 5 } }))).toBe(
      exampleMessage('UnknownField'),
    );
  });

  it('options.take and options.skip: integers with the same ranges', () => {
    const take = field('options', 'take');
    const skip = field('options', 'skip');
    expect([take.type, skip.type]).toEqual(['integer', 'integer']);
    expect({ minimum: take.minimum, maximum: take.maximum }).toEqual(SEARCH_TAKE_RANGE);
    expect({ minimum: skip.minimum, maximum: skip.maximum }).toEqual({ ...SEARCH_SKIP_RANGE, maximum: undefined });
  });

  it('options.searchSession: the session id schema', () => {
    expect(levels.options.properties!.searchSession).toMatchObject({ $ref: '#/components/schemas/SearchSessionId' });
    expect(field('options', 'searchSession').pattern).toBe(SEARCH_SESSION_ID_PATTERN.source);
  });

  it('searchCriteria.query: same pattern, lengths and x-rule, which is the example\'s message', () => {
    const query = field('searchCriteria', 'query');
    expect(SEARCH_QUERY_RULE.pattern.source).toBe(query.pattern);
    expect(SEARCH_QUERY_RULE.pattern.flags).toBe('');
    expect({ minLength: SEARCH_QUERY_RULE.minLength, maxLength: SEARCH_QUERY_RULE.maxLength }).toEqual({
      minLength: query.minLength,
      maxLength: query.maxLength,
    });
    expect(SEARCH_QUERY_RULE.message).toBe(query['x-rule']);
    expect(SEARCH_QUERY_RULE.message).toBe(exampleMessage('InvalidSearchQuery'));
  });

  it('skip with a session: the SkipWithSession example\'s words', () => {
    expect(SKIP_WITH_SESSION_MESSAGE).toBe(exampleMessage('SkipWithSession'));
    const body = { searchCriteria: { query: 'AZ' }, options: { skip: 0, searchSession: 's1' } };
    expect(refusalOf(() => checkedSearchRequest(body))).toBe(exampleMessage('SkipWithSession'));
  });

  it('options.pageCursor: same pattern, length limit and x-rule, which is the InvalidPageCursor example\'s message', () => {
    const cursor = field('options', 'pageCursor');
    expect(PAGE_CURSOR_RULE.pattern.source).toBe(cursor.pattern);
    expect(PAGE_CURSOR_RULE.maxLength).toBe(cursor.maxLength);
    expect(PAGE_CURSOR_RULE.message).toBe(cursor['x-rule']);
    expect(PAGE_CURSOR_RULE.message).toBe(exampleMessage('InvalidPageCursor'));
    expect(field('options', 'useCursorPagination').type).toBe('boolean');
  });

  it('cursor pagination with a lone cursor, skip or a session: the examples\' words', () => {
    expect(CURSOR_CONFLICT_MESSAGES).toEqual({
      pageCursorAlone: exampleMessage('PageCursorWithoutCursorPagination'),
      skip: exampleMessage('SkipWithCursor'),
      searchSession: exampleMessage('CursorWithSession'),
    });
  });

  it('Idempotency-Key: the header parameter\'s pattern and lengths', () => {
    const schema = parameterSchema('searchProperties', 'Idempotency-Key');
    expect(IDEMPOTENCY_KEY_PATTERN.source).toBe(schema.pattern);
    expect(() => assertIdempotencyKey('k'.repeat(schema.maxLength!))).not.toThrow();
    expect(refusalOf(() => assertIdempotencyKey('k'.repeat(schema.maxLength! + 1)))).toBe(
      `Idempotency-Key must match ${IDEMPOTENCY_KEY_PATTERN}`,
    );
  });
});
