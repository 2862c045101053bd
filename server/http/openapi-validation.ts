// express-openapi-validator checks every request (and, outside production, every success body)
// against openapi.yaml. Its findings are rewritten into the contract's messages here, so a client
// reads `take must be an integer between 1 and 100`, not the validator's internal wording.
import * as OpenApiValidator from 'express-openapi-validator';
import type { OpenAPIV3 } from 'express-openapi-validator/dist/framework/types.js';
import type { RequestHandler } from 'express';
import type { OpenApiDocument } from '../spec.js';
import { messages } from './messages.js';
import { parameterRule } from './parameter-rules.js';
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
}

const LOCATIONS: Record<string, string> = { query: 'query', params: 'path', path: 'path', headers: 'header' };

/** The contract's message for a validator's 400 on this operation. */
export function validationMessage(findings: readonly ValidatorFinding[], operation: RouteOperation | undefined): string {
  const first = findings[0] ?? {};
  const where = /^\/(query|params|path|headers)\/([^/]+)/.exec(first.path ?? '');
  if (where) {
    const location = LOCATIONS[where[1]!];
    const name = where[2]!;
    const parameter = operation?.parameters.find((p) => p.in === location && p.name.toLowerCase() === name.toLowerCase());
    if (parameter) return parameterRule(parameter.name, parameter.schema);
    if (location === 'query') return messages.unknownQueryParameter(name);
  }
  const field = (first.path ?? '').replace(/^\//, '').replaceAll('/', '.');
  return field ? `${field} ${first.message ?? 'is not valid'}` : (first.message ?? 'The request is not valid.');
}
