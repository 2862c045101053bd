// The server reads its routes, required abilities and parameter rules from openapi.yaml itself, so
// the document the docs and the SDK are built from is the one the server enforces.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

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

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: ParameterSchema;
}

export interface Operation {
  operationId: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<Parameter | { $ref: string }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

let cached: OpenApiDocument | undefined;

/** The parsed spec. Callers that hand it to a library that mutates its input pass a clone. */
export function loadSpec(path = SPEC_PATH): OpenApiDocument {
  if (path !== SPEC_PATH) return parse(readFileSync(path, 'utf8')) as OpenApiDocument;
  cached ??= parse(readFileSync(path, 'utf8')) as OpenApiDocument;
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
