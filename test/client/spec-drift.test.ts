// The SDK checks parameters itself, so its copy of the rules must stay the spec's: this fails when
// openapi.yaml changes a pattern, a range, a 400 message or the production host and the SDK does not.
import { describe, expect, it } from 'vitest';
import { BatchDataValidationError, DEFAULT_BASE_URL } from '../../client/index.js';
import { SEARCH_SESSION_ID_PATTERN, SKIP_RANGE, TAKE_RANGE } from '../../client/rules.js';
import { assertPageQuery, assertSearchSessionId } from '../../client/validation.js';
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
