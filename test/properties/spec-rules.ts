// What openapi.yaml says a valid request is, read from the spec itself (not from the server's
// reading of it): the patterns and bounds the generators draw from, and the oracles that say
// which answer a request must get.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { loadSpec, resolveRef, type Parameter } from '../../server/spec.js';

interface PatternSchema {
  pattern: string;
}
interface IntegerSchema {
  minimum?: number;
  maximum?: number;
}

const spec = loadSpec();
const schemas = spec.components.schemas as Record<string, Record<string, unknown>>;
const parameter = (name: string) => (spec.components.parameters as Record<string, Parameter>)[name]!;

export const SESSION_ID = new RegExp((schemas.SearchSessionId as unknown as PatternSchema).pattern);
export const IDEMPOTENCY_KEY = new RegExp(resolveRef(spec, parameter('IdempotencyKey').schema as PatternSchema).pattern);
export const LIST_BOUNDS = {
  skip: parameter('Skip').schema as IntegerSchema,
  take: parameter('Take').schema as IntegerSchema,
};
const searchOptions = (schemas.SearchRequest as { properties: { options: { properties: Record<string, IntegerSchema> } } }).properties.options.properties;
export const SEARCH_TAKE = searchOptions.take!;
export const QUERY_PATTERN = new RegExp(
  (schemas.SearchRequest as { properties: { searchCriteria: { properties: { query: PatternSchema } } } }).properties.searchCriteria.properties.query.pattern,
);

const ajv = new Ajv2020({ strict: false, allErrors: false });
ajv.addSchema(structuredClone(spec) as object, 'openapi');
/** The body schema of searchProperties, as JSON Schema says it. */
export const matchesSearchRequest = ajv.compile({ $ref: 'openapi#/components/schemas/SearchRequest' });

/** A decimal integer literal within the bounds, as a query parameter's text (any size: BigInt). */
export function isIntegerText(text: string, { minimum, maximum }: IntegerSchema): boolean {
  if (!/^-?\d+$/.test(text)) return false;
  const value = BigInt(text);
  return (minimum === undefined || value >= BigInt(minimum)) && (maximum === undefined || value <= BigInt(maximum));
}
