// express-openapi-validator checks every request (and, outside production, every success body)
// against openapi.yaml. Its findings are rewritten into the contract's messages here, so a client
// reads `take must be an integer between 1 and 100`, not the validator's internal wording.
import * as OpenApiValidator from 'express-openapi-validator';
import type { OpenAPIV3 } from 'express-openapi-validator/dist/framework/types.js';
import type { RequestHandler } from 'express';
import type { OpenApiDocument } from '../spec.js';
import { messages } from './messages.js';
import { ruleFor, type FieldSchema } from './field-rules.js';
import type { RouteOperation } from './route-table.js';

export function openApiValidation(spec: OpenApiDocument, validateResponses: boolean): RequestHandler[] {
  // One validator for the whole document. One per path would spare it matching each request
  // against the other paths (about 1.4 µs a DELETE), but every instance compiles the OpenAPI
  // schema at start-up: with three, the first 200 from /readyz came 0.15 to 0.4 s later.
  return OpenApiValidator.middleware({
    apiSpec: structuredClone(spec) as unknown as OpenAPIV3.DocumentV3_1,
    validateRequests: { allowUnknownQueryParameters: false },
    validateResponses,
    // Authentication and abilities run earlier, in the contract's order of checks.
    validateSecurity: false,
    validateApiSpec: true,
    // The route step may have rewritten an absolute-form target; originalUrl still holds it.
    useRequestUrl: true,
  }) as RequestHandler[];
}

interface ValidatorFinding {
  path?: string;
  message?: string;
  errorCode?: string;
}

const LOCATIONS: Record<string, string> = { query: 'query', params: 'path', path: 'path', headers: 'header' };

function parameterMessage(location: string, name: string, operation: RouteOperation | undefined): string | null {
  // Header names are case-insensitive (RFC 9110); query parameter names are not: ?TAKE is unknown.
  const sameName = location === 'header' ? (p: { name: string }) => p.name.toLowerCase() === name.toLowerCase() : (p: { name: string }) => p.name === name;
  const parameter = operation?.parameters.find((p) => p.in === location && sameName(p));
  if (parameter) return ruleFor(parameter.name, parameter.schema);
  return location === 'query' ? messages.unknownQueryParameter(name) : null;
}

function bodyMessage(field: string, schemaPath: string[], finding: ValidatorFinding, operation: RouteOperation | undefined): string {
  if (!field || !operation?.requestBodySchema) return messages.bodyNotJsonObject;
  if (finding.errorCode?.startsWith('required')) return messages.missingField(field);
  if (finding.errorCode?.startsWith('additionalProperties')) return messages.unknownField(field);
  const schema = schemaPath.reduce<FieldSchema | undefined>((node, key) => node?.properties?.[key], operation.requestBodySchema);
  return schema ? ruleFor(field, schema) : `${field} ${finding.message ?? 'is not valid'}`;
}

/**
 * The field a body finding is about, as segments. The validator writes a JSON Pointer to the value
 * (RFC 6901 escapes), except that for a missing or unknown property it appends the property's raw
 * name, which may itself hold `/`: the escaped part is the longest prefix that exists in the body
 * as objects, and everything after it is the one name.
 */
function bodyField(segments: string[], finding: ValidatorFinding, body: unknown): string[] {
  const unescaped = segments.map(unescapePointerSegment);
  if (!finding.errorCode?.startsWith('required') && !finding.errorCode?.startsWith('additionalProperties')) return unescaped;
  let node = body;
  let parent = 0;
  while (parent < segments.length - 1) {
    const next = (node as Record<string, unknown> | null)?.[unescaped[parent]!];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) break;
    node = next;
    parent++;
  }
  return [...unescaped.slice(0, parent), segments.slice(parent).join('/')];
}

/** A body path's segments are JSON Pointer tokens (RFC 6901), not URL escapes: `%` is just `%`. */
function unescapePointerSegment(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** The contract's message for a validator's 400 on this operation. */
export function validationMessage(findings: readonly ValidatorFinding[], operation: RouteOperation | undefined, body?: unknown): string {
  const first = findings[0] ?? {};
  const [, location = '', ...rest] = (first.path ?? '').split('/');
  if (location === 'body') {
    const field = bodyField(rest, first, body);
    return bodyMessage(field.join('.'), field, first, operation);
  }
  if (location in LOCATIONS && rest[0]) {
    const message = parameterMessage(LOCATIONS[location]!, rest[0], operation);
    if (message) return message;
  }
  return first.message ?? 'The request is not valid.';
}
