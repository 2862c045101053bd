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
  const parameter = operation?.parameters.find((p) => p.in === location && p.name.toLowerCase() === name.toLowerCase());
  if (parameter) return ruleFor(parameter.name, parameter.schema);
  return location === 'query' ? messages.unknownQueryParameter(name) : null;
}

function bodyMessage(segments: string[], finding: ValidatorFinding, operation: RouteOperation | undefined): string {
  const field = segments.join('.');
  if (!field || !operation?.requestBodySchema) return messages.bodyNotJsonObject;
  if (finding.errorCode?.startsWith('required')) return messages.missingField(field);
  if (finding.errorCode?.startsWith('additionalProperties')) return messages.unknownField(field);
  const schema = segments.reduce<FieldSchema | undefined>((node, key) => node?.properties?.[key], operation.requestBodySchema);
  return schema ? ruleFor(field, schema) : `${field} ${finding.message ?? 'is not valid'}`;
}

/** The contract's message for a validator's 400 on this operation. */
export function validationMessage(findings: readonly ValidatorFinding[], operation: RouteOperation | undefined): string {
  const first = findings[0] ?? {};
  const [, location = '', ...rest] = (first.path ?? '').split('/');
  if (location === 'body') return bodyMessage(rest.map(decodeURIComponent), first, operation);
  if (location in LOCATIONS && rest[0]) {
    const message = parameterMessage(LOCATIONS[location]!, rest[0], operation);
    if (message) return message;
  }
  return first.message ?? 'The request is not valid.';
}
