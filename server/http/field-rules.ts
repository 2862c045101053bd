// A field's rule in words, derived from its schema in openapi.yaml, so a 400's message and the spec
// cannot disagree: `take must be an integer between 1 and 100`,
// `searchSessionId must match /^[a-zA-Z0-9_-]{1,128}$/`. Where a pattern says little to a person,
// the schema states the rule itself in `x-rule`.
import type { Parameter, ParameterSchema } from '../spec.js';

export interface FieldSchema extends ParameterSchema {
  'x-rule'?: string;
  properties?: Record<string, FieldSchema>;
}

export function ruleFor(name: string, schema: FieldSchema): string {
  if (schema['x-rule']) return schema['x-rule'];
  switch (schema.type) {
    case 'integer': {
      const { minimum, maximum } = schema;
      if (minimum !== undefined && maximum !== undefined) return `${name} must be an integer between ${minimum} and ${maximum}`;
      if (minimum !== undefined) return `${name} must be an integer >= ${minimum}`;
      if (maximum !== undefined) return `${name} must be an integer <= ${maximum}`;
      return `${name} must be an integer`;
    }
    case 'object':
      return `${name} must be an object`;
    case 'boolean':
      return `${name} must be true or false`;
    case 'string':
      return schema.pattern !== undefined ? `${name} must match /${schema.pattern}/` : `${name} must be a string`;
    default:
      return schema.pattern !== undefined ? `${name} must match /${schema.pattern}/` : `${name} is not valid`;
  }
}

function decodeStrictly(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null; // a malformed escape such as %ZZ or a truncated UTF-8 sequence such as %E0%A4
  }
}

/**
 * Checks a path parameter as it arrived on the wire, before any router decodes or normalises it.
 * Returns the decoded value, or null when it breaks the parameter's schema.
 */
export function decodePathParameter(parameter: Parameter, raw: string): string | null {
  const value = decodeStrictly(raw);
  if (value === null) return null;
  const { pattern, minLength, maxLength } = parameter.schema;
  if (pattern !== undefined && !new RegExp(pattern, 'u').test(value)) return null;
  if (minLength !== undefined && [...value].length < minLength) return null;
  if (maxLength !== undefined && [...value].length > maxLength) return null;
  return value;
}
