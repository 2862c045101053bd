// Which operation a request is for, decided from openapi.yaml before anything else runs (the order
// of checks starts with the route). Matching is on the raw, still-encoded path, case-sensitive and
// strict about trailing slashes.
//
// A path parameter in the last segment captures the rest of the path, slashes and all: a client
// that does not encode sends `…/search-sessions/a/b` or `…/search-sessions/` and must get that
// operation's 400 for a bad id, not a 404 for an unknown path.
import { dereference, resolveRef, type OpenApiDocument, type Parameter } from '../spec.js';
import type { FieldSchema } from './field-rules.js';

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
