// The first step of the order of checks: which operation a request is for (404 for an unknown path,
// 405 with Allow for a wrong method), decided from openapi.yaml before anything else runs; and,
// before it, CORS for browsers on origins the deployment lists.
import type { RequestHandler } from 'express';
import { dereference, resolveRef, type FieldSchema, type OpenApiDocument, type Parameter } from '../spec.js';
import { ApiError } from './errors.js';
import { messages } from './messages.js';

// Which operation a request is for, decided from openapi.yaml before anything else runs (the order
// of checks starts with the route). Matching is on the raw, still-encoded path, case-sensitive and
// strict about trailing slashes.
//
// A path parameter in the last segment captures the rest of the path, slashes and all: a client
// that does not encode sends `…/search-sessions/a/b` or `…/search-sessions/` and must get that
// operation's 400 for a bad id, not a 404 for an unknown path.
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface RouteOperation {
  operationId: string;
  method: string;
  /** The spec's path template, e.g. `/api/v2/property/search-sessions/{searchSessionId}`. */
  pathTemplate: string;
  /** Abilities the token must carry: the roles of the operation's bearer security requirement. */
  requiredAbilities: readonly string[];
  /** More abilities, needed when the body has a value at the pointer (`x-abilities-when-present`). */
  abilitiesWhenPresent: Readonly<Record<string, readonly string[]>>;
  parameters: readonly Parameter[];
  /** The JSON request body's schema with every $ref resolved, for naming a failing field's rule. */
  requestBodySchema?: FieldSchema;
}

export type RouteMatch =
  | { kind: 'operation'; operation: RouteOperation; rawPathParams: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: readonly string[] }
  | { kind: 'not-found' };

interface CompiledPath {
  regex: RegExp;
  paramNames: string[];
  operations: Map<string, RouteOperation>;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileTemplate(template: string): { regex: RegExp; paramNames: string[] } {
  const paramNames: string[] = [];
  const parts = template.split(/(\{[^}]+\})/).filter((part) => part !== '');
  const source = parts
    .map((part, index) => {
      const param = /^\{([^}]+)\}$/.exec(part);
      if (!param) return escapeRegex(part);
      paramNames.push(param[1]!);
      return index === parts.length - 1 ? '(.*)' : '([^/]*)';
    })
    .join('');
  return { regex: new RegExp(`^${source}$`), paramNames };
}

/** The methods a path answers, as `Allow` names them: its operations, and HEAD wherever GET is. */
function allowedMethods(operations: ReadonlyMap<string, RouteOperation>): string[] {
  const methods = [...operations.keys()];
  return operations.has('GET') && !operations.has('HEAD') ? [...methods, 'HEAD'] : methods;
}

export class RouteTable {
  private readonly paths: CompiledPath[];

  constructor(spec: OpenApiDocument) {
    // Literal paths first, so `/x` is never taken for `/{param}` of a shorter template.
    const paramCount = (template: string) => template.split('{').length - 1;
    const templates = Object.keys(spec.paths).sort((a, b) => paramCount(a) - paramCount(b) || b.length - a.length);
    this.paths = templates.map((template) => {
      const pathItem = spec.paths[template]!;
      const operations = new Map<string, RouteOperation>();
      for (const method of HTTP_METHODS) {
        const operation = pathItem[method];
        if (!operation) continue;
        const bearerRoles = operation.security?.find((requirement) => 'bearerAuth' in requirement)?.bearerAuth;
        operations.set(method.toUpperCase(), {
          operationId: operation.operationId,
          method: method.toUpperCase(),
          pathTemplate: template,
          requiredAbilities: bearerRoles ?? [],
          abilitiesWhenPresent: operation['x-abilities-when-present'] ?? {},
          requestBodySchema: dereference(spec, operation.requestBody?.content['application/json']?.schema) as FieldSchema | undefined,
          parameters: (operation.parameters ?? []).map((reference) => {
            const parameter = resolveRef<Parameter>(spec, reference);
            return { ...parameter, schema: resolveRef(spec, parameter.schema) };
          }),
        });
      }
      return { ...compileTemplate(template), operations };
    });
  }

  /** The methods the path at rawPath answers (HEAD wherever GET is), or null for an unknown path. */
  allowedMethods(rawPath: string): string[] | null {
    const path = this.paths.find((candidate) => candidate.regex.test(rawPath));
    return path ? allowedMethods(path.operations) : null;
  }

  /** Every operation, for mounting handlers and checking that each has one. */
  get operations(): RouteOperation[] {
    return this.paths.flatMap((path) => [...path.operations.values()]);
  }

  match(method: string, rawPath: string): RouteMatch {
    for (const path of this.paths) {
      const found = path.regex.exec(rawPath);
      if (!found) continue;
      // HEAD is GET without the body wherever GET exists (RFC 9110 §9.3.2): the same operation.
      const operation = path.operations.get(method) ?? (method === 'HEAD' ? path.operations.get('GET') : undefined);
      if (!operation) return { kind: 'method-not-allowed', allow: allowedMethods(path.operations) };
      const rawPathParams = Object.fromEntries(path.paramNames.map((name, i) => [name, found[i + 1]!]));
      return { kind: 'operation', operation, rawPathParams };
    }
    return { kind: 'not-found' };
  }
}

// First of the checks: is there such an operation? Unknown paths are 404 and wrong methods 405 with
// Allow, before authentication, exactly as for a request that carries a valid token.
// The request target's path, still encoded. Servers must accept the absolute form
// (`GET http://host/path`, RFC 9112 §3.2.2) as well as the usual origin form (`GET /path`).
const ABSOLUTE_FORM = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/;

function rawPathOf(target: string): string {
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

export function routeRequest(routes: RouteTable): RequestHandler {
  return (req, res, next) => {
    // Everything after this step (the validator included) reads req.url in its origin form.
    if (ABSOLUTE_FORM.test(req.url)) req.url = req.url.replace(ABSOLUTE_FORM, '') || '/';
    const rawPath = rawPathOf(req.url);
    const match = routes.match(req.method, rawPath);
    if (match.kind === 'not-found') throw new ApiError(404, messages.pathNotFound(rawPath));
    if (match.kind === 'method-not-allowed') {
      throw new ApiError(405, messages.methodNotAllowed(req.method, match.allow), { Allow: match.allow.join(', ') });
    }
    // A HEAD runs as the GET it mirrors, so the validator finds the operation; Node still sends
    // no body, since it decided that from the method the request arrived with.
    if (req.method === 'HEAD') {
      req.method = match.operation.method;
      res.locals.head = true;
    }
    res.locals.operation = match.operation;
    res.locals.pathParams = match.rawPathParams;
    next();
  };
}

// CORS for browsers on other origins, off unless the deployment lists origins (CORS_ORIGINS). Only
// exact origins: a token is a bearer credential, and a pattern is one typo away from trusting an
// attacker's page. A preflight from a listed origin is answered here, before authentication,
// because browsers never send credentials on one; the request it clears then takes every check.
/** The request headers a page may send: the token, the JSON body's type, a search's retry key. */
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key';
/** What the SDK reads from a response: the id to quote, the quota, how long to wait. */
const EXPOSED_HEADERS = 'X-Request-Id, RateLimit, RateLimit-Policy, Retry-After';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

export function cors(allowedOrigins: readonly string[], routes: RouteTable): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    if (allowed.size === 0) return next();
    // The answer depends on Origin whether or not this one is listed: caches must keep them apart.
    res.vary('Origin');
    const origin = req.headers.origin;
    if (origin === undefined || !allowed.has(origin)) return next();
    res.set('Access-Control-Allow-Origin', origin);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      const methods = routes.allowedMethods(req.path);
      if (!methods) return next(); // an unknown path stays the 404 it is
      res.set({ 'Access-Control-Allow-Methods': methods.join(', '), 'Access-Control-Allow-Headers': ALLOWED_HEADERS, 'Access-Control-Max-Age': PREFLIGHT_MAX_AGE_SECONDS });
      res.status(204).end();
      return;
    }
    res.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    next();
  };
}
