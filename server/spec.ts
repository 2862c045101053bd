// The server reads its routes, required abilities and parameter rules from openapi.yaml itself, so
// the document the docs and the SDK are built from is the one the server enforces.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORE_SCHEMA, load } from 'js-yaml';

/** The package root: the nearest folder above this module holding openapi.yaml (from server/ or dist/server/). */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'openapi.yaml'))) return dir;
    if (dirname(dir) === dir) throw new Error(`openapi.yaml not found above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const SPEC_PATH = join(PACKAGE_ROOT, 'openapi.yaml');

export interface ParameterSchema {
  type?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  $ref?: string;
}

/** A schema with the rule it states for people (`x-rule`), and an object's fields by name. */
export interface FieldSchema extends ParameterSchema {
  'x-rule'?: string;
  properties?: Record<string, FieldSchema>;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: ParameterSchema;
}

export interface Operation {
  operationId: string;
  security?: Array<Record<string, string[]>>;
  /** JSON pointers into the request body, and the abilities a request needs when it has them. */
  'x-abilities-when-present'?: Record<string, string[]>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  parameters?: Array<Parameter | { $ref: string }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

let cached: OpenApiDocument | undefined;

// js-yaml, the parser express-openapi-validator itself reads a spec file with: a fifth of the time
// of the `yaml` package on a cold start (about 100 against 450 ms for openapi.yaml), which the
// server pays at every start. The core schema reads what YAML 1.2 says and no more (an unquoted
// date stays a string), as `yaml` does.
const parseYaml = (path: string) => load(readFileSync(path, 'utf8'), { schema: CORE_SCHEMA, filename: path }) as OpenApiDocument;

/** The parsed spec. Callers that hand it to a library that mutates its input pass a clone. */
export function loadSpec(path = SPEC_PATH): OpenApiDocument {
  if (path !== SPEC_PATH) return parseYaml(path);
  cached ??= parseYaml(path);
  return cached;
}

/** Follows a local `#/components/...` reference. */
export function resolveRef<T>(spec: OpenApiDocument, value: T | { $ref: string }): T {
  if (value && typeof value === 'object' && '$ref' in value && typeof value.$ref === 'string') {
    const target = value.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], spec);
    if (target === undefined) throw new Error(`Unresolvable reference in openapi.yaml: ${value.$ref}`);
    return resolveRef(spec, target as T | { $ref: string });
  }
  return value as T;
}

/** A copy of a schema with every local $ref replaced by its target (siblings of a $ref win). */
export function dereference<T>(spec: OpenApiDocument, node: T, depth = 0): T {
  if (depth > 32) throw new Error('openapi.yaml: $ref nesting too deep (a cycle?)');
  if (Array.isArray(node)) return node.map((item) => dereference(spec, item, depth + 1)) as T;
  if (!node || typeof node !== 'object') return node;
  const { $ref, ...siblings } = node as Record<string, unknown>;
  const base = typeof $ref === 'string' ? (dereference(spec, resolveRef(spec, { $ref }), depth + 1) as object) : {};
  const own = Object.fromEntries(Object.entries(siblings).map(([key, value]) => [key, dereference(spec, value, depth + 1)]));
  return { ...base, ...own } as T;
}
