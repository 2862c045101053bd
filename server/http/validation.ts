// The validation step, and every 400 that is not a fixed sentence: worded here from openapi.yaml,
// so a 400's message and the spec cannot disagree.
//
// 1. Parameters are checked in the form they arrived in, before anything coerces or normalises them:
//    a router has already split or refused `a/b`, `..` and `%ZZ` by the time it matches a path, and
//    the validator's type coercion would read `1e2`, `0x10` or ` 1` as integers.
// 2. express-openapi-validator checks everything else in every request (and, outside production,
//    every success body) against openapi.yaml. Its findings are rewritten into the contract's
//    messages as they leave it, so a client reads `take must be an integer between 1 and 100`, not
//    the validator's internal wording.
// 3. A field's rule in words is derived from its schema: `take must be an integer between 1 and
//    100`, `searchSessionId must match /^[a-zA-Z0-9_-]{1,128}$/`. Where a pattern says little to a
//    person, the schema states the rule itself in `x-rule`.
import type { ErrorRequestHandler, NextFunction, RequestHandler, Response } from 'express';
import { OpenApiSpecLoader } from 'express-openapi-validator/dist/framework/openapi.spec.loader.js';
import type { OpenApiRequestMetadata, OpenAPIV3, ValidateResponseOpts } from 'express-openapi-validator/dist/framework/types.js';
import { RequestValidator, ResponseValidator } from 'express-openapi-validator/dist/middlewares/index.js';
import { SchemaPreprocessor } from 'express-openapi-validator/dist/middlewares/parsers/schema.preprocessor.js';
import { OpenApiValidator } from 'express-openapi-validator/dist/openapi.validator.js';
import type { FieldSchema, OpenApiDocument, Parameter } from '../spec.js';
import { ApiError } from './errors.js';
import type { RouteOperation } from './routing.js';

/**
 * Every 400 sentence no schema keyword states, matched to the byte by openapi.yaml's examples (the
 * tests hold them together); the rest are derived from the schemas below.
 */
export const badRequest = {
  unknownQueryParameter: (name: string) => `Unknown query parameter: ${name}`,
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
  unknownField: (field: string) => `Unknown field: ${field}`,
  missingField: (field: string) => `${field} is required`,
  malformedRequest: 'The request could not be parsed as HTTP.',
} as const;

const DECIMAL_INTEGER = /^-?\d+$/;

export const checkRawParameters: RequestHandler = (req, res, next) => {
  const operation = res.locals.operation!;
  const decoded: Record<string, string> = {};
  // Express 5 parses the query string again at every read of req.query.
  const query = req.query;
  for (const parameter of operation.parameters) {
    const fail = () => new ApiError(400, ruleFor(parameter.name, parameter.schema));
    if (parameter.in === 'path') {
      const value = decodePathParameter(parameter, res.locals.pathParams?.[parameter.name] ?? '');
      if (value === null) throw fail();
      decoded[parameter.name] = value;
    } else if (parameter.in === 'query' && parameter.schema.type === 'integer' && parameter.name in query) {
      const value = query[parameter.name];
      if (typeof value !== 'string' || !DECIMAL_INTEGER.test(value)) throw fail();
    }
  }
  res.locals.pathParams = decoded;
  next();
};

// express-openapi-validator's own middleware finds each request's operation again by compiling a
// path-to-regexp for every path of the spec, per request, and hands the request on through four
// promise callbacks: together about a tenth of a list's CPU. The route step has already found the
// operation, so the validator's parts are assembled here as its middleware assembles them (the
// same spec loading, preprocessing, request and response validators and options) and each request
// is handed to them synchronously with the operation it is for. The package is pinned to one
// version; the contract tests exercise every rule they check.
type OperationMetadata = OpenApiRequestMetadata & { _responseSchema?: OpenAPIV3.OperationObject; withPathParameters: boolean };
type ValidationRequest = Parameters<RequestHandler>[0] & { openapi?: OpenApiRequestMetadata };

interface AssembledValidator {
  /** The validator's view of each operation, by the route table's operationId (no path parameters in it). */
  operations: ReadonlyMap<string, OperationMetadata>;
  validateRequest: RequestValidator;
  validateResponse?: RequestHandler;
}

async function assembleValidator(spec: OpenApiDocument, validateResponses: boolean): Promise<AssembledValidator> {
  const validator = new OpenApiValidator({
    apiSpec: spec as unknown as OpenAPIV3.DocumentV3_1,
    validateRequests: { allowUnknownQueryParameters: false },
    validateResponses,
    // Authentication and abilities run earlier, in the contract's order of checks.
    validateSecurity: false,
    validateApiSpec: true,
  });
  const { options, ajvOpts } = validator;
  const loaded = await new OpenApiSpecLoader({ apiDoc: structuredClone(spec) as unknown as OpenAPIV3.DocumentV3_1, validateApiSpec: options.validateApiSpec, $refParser: options.$refParser }).load();
  // Rewrites loaded.apiDoc in place for requests, and returns the copy responses are checked against
  // (none when validateResponses is false, which the library passes through as it is).
  const { apiDocRes } = new SchemaPreprocessor(loaded.apiDoc, ajvOpts.preprocessor, options.validateResponses as ValidateResponseOpts).preProcess();
  const operations = new Map<string, OperationMetadata>();
  for (const route of loaded.routes) {
    const method = route.method.toLowerCase();
    const pathKey = route.openApiRoute.slice(route.basePath.length);
    const schema = (loaded.apiDoc.paths![pathKey] as Record<string, OpenAPIV3.OperationObject>)[method]!;
    operations.set(
      schema.operationId!,
      Object.freeze({
        expressRoute: route.expressRoute,
        openApiRoute: route.openApiRoute,
        pathParams: Object.freeze({}),
        schema,
        serial: loaded.serial,
        _responseSchema: (apiDocRes?.paths?.[pathKey] as Record<string, OpenAPIV3.OperationObject> | undefined)?.[method],
        withPathParameters: route.pathParams.length > 0,
      }),
    );
  }
  return {
    operations,
    validateRequest: new RequestValidator(loaded.apiDoc, ajvOpts.request),
    validateResponse: options.validateResponses ? new ResponseValidator(apiDocRes, ajvOpts.response, options.validateResponses, loaded.serial).validate() : undefined,
  };
}

/**
 * The validation step: the request (and, when asked, the success body) checked against openapi.yaml
 * by express-openapi-validator. The spec is compiled once, in the background from the moment the
 * app is made; requests that arrive before it is ready wait for it.
 */
export function openApiValidation(spec: OpenApiDocument, validateResponses: boolean): RequestHandler {
  let assembled: AssembledValidator | undefined;
  const ready = assembleValidator(spec, validateResponses).then((done) => (assembled = done));
  // A spec the validator refuses fails every request with a 500, as the library's own middleware
  // does; the rejection is handled there, per request, not left unhandled here.
  ready.catch(() => {});
  const validate = ({ operations, validateRequest, validateResponse }: AssembledValidator, req: ValidationRequest, res: Response, next: NextFunction) => {
    const operation = res.locals.operation!;
    const metadata = operations.get(operation.operationId);
    if (!metadata) throw new Error(`The validator knows no operation ${operation.operationId}`);
    const pathParams = res.locals.pathParams!;
    // The validator only reads it: an operation without path parameters shares one.
    req.openapi = metadata.withPathParameters ? { ...metadata, pathParams } : metadata;
    req.params = pathParams;
    if (!validateResponse) return validateRequest.validate(req, res, next);
    return validateRequest.validate(req, res, (error?: unknown) => (error ? next(error) : validateResponse(req, res, next)));
  };
  return (req, res, next) => {
    if (assembled) return validate(assembled, req, res, next);
    ready.then((done) => validate(done, req, res, next)).catch(next);
  };
}

/**
 * The validator's 400s, in the contract's words. An error step placed just before the error handler
 * (the validator passes its findings on as errors); every other error goes by unchanged.
 */
export const validationFailures: ErrorRequestHandler = (error: { status?: unknown; errors?: unknown }, req, res, next) => {
  if (error?.status !== 400 || !Array.isArray(error.errors)) return next(error);
  next(new ApiError(400, validationMessage(error.errors as ValidatorFinding[], res.locals.operation, req.body)));
};

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
  return location === 'query' ? badRequest.unknownQueryParameter(name) : null;
}

function bodyMessage(field: string, schemaPath: string[], finding: ValidatorFinding, operation: RouteOperation | undefined): string {
  if (!field || !operation?.requestBodySchema) return badRequest.bodyNotJsonObject;
  if (finding.errorCode?.startsWith('required')) return badRequest.missingField(field);
  if (finding.errorCode?.startsWith('additionalProperties')) return badRequest.unknownField(field);
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
function validationMessage(findings: readonly ValidatorFinding[], operation: RouteOperation | undefined, body?: unknown): string {
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
