// The spec as a team that reads our docs would use it: three popular TypeScript generators (pinned
// devDependencies) each make a client from openapi.yaml, and `tsc --strict` compiles it with a
// literal error body of every status the spec declares assigned to that status's generated type.
// It fails on a duplicate identifier (a parameter and a schema sharing a name), on a type that
// reduces to never (an overlay without `type`), and on a name a generator had to rename (`X2`) or
// one that shadows a built-in (`Error`).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, SPEC_PATH, loadSpec } from '../../server/spec.js';
import { OFFLINE_ENV } from './support/tools.js';

const run = promisify(execFile);
const bin = (name: string) => join(PACKAGE_ROOT, 'node_modules/.bin', name);
const work = mkdtempSync(join(tmpdir(), 'bd-generators-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Generator {
  name: string;
  /** Writes the client into `out`. */
  generate(out: string): Promise<unknown>;
  /** The module that exports the schemas' types, relative to the check file beside `out`. */
  typesModule: string;
}

const generators: Generator[] = [
  {
    name: 'openapi-typescript-codegen',
    // Its bin is called `openapi`, as is Redocly's; which one node_modules/.bin holds depends on hoisting.
    generate: (out) => run(process.execPath, [join(PACKAGE_ROOT, 'node_modules/openapi-typescript-codegen/bin/index.js'), '--input', SPEC_PATH, '--output', out, '--client', 'fetch'], { env: OFFLINE_ENV }),
    typesModule: './index',
  },
  {
    name: 'orval',
    generate: (out) => run(bin('orval'), ['--input', SPEC_PATH, '--output', join(out, 'api.ts'), '--client', 'fetch'], { env: OFFLINE_ENV, cwd: work }),
    typesModule: './api',
  },
  {
    name: '@hey-api/openapi-ts',
    generate: (out) => run(bin('openapi-ts'), ['--input', SPEC_PATH, '--output', out], { env: OFFLINE_ENV, cwd: work }),
    typesModule: './types.gen',
  },
];

interface ErrorSample {
  schema: string;
  body: unknown;
}

/**
 * For every error schema (an overlay on ErrorEnvelope), a literal body of its status: the first
 * example of that status in the spec, so the bodies are the API's own words.
 */
function errorSamples(): ErrorSample[] {
  const spec = loadSpec() as unknown as {
    components: { schemas: Record<string, { allOf?: Array<{ $ref: string }>; properties?: { status?: { properties?: { code?: { const?: number } } } } }>; examples: Record<string, { value: { status?: { code?: number } } }> };
  };
  const overlays = Object.entries(spec.components.schemas).filter(([, schema]) => schema.allOf?.some((part) => part.$ref === '#/components/schemas/ErrorEnvelope'));
  return overlays.map(([schema, overlay]) => {
    const code = overlay.properties?.status?.properties?.code?.const;
    const example = Object.values(spec.components.examples).find((candidate) => candidate.value.status?.code === code);
    if (!example) throw new Error(`openapi.yaml has no example of status ${code} for ${schema}`);
    return { schema, body: example.value };
  });
}

const samples = errorSamples();

function exportedNames(dir: string): string[] {
  const names: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) names.push(...[...readFileSync(path, 'utf8').matchAll(/^export (?:type|interface|class|enum|const) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!));
    }
  };
  walk(dir);
  return names;
}

it('declares an error example for every status it declares, so every generated error type is exercised', () => {
  expect(samples.map((sample) => (sample.body as { status: { code: number } }).status.code).sort((a, b) => a - b)).toEqual([400, 401, 403, 404, 405, 408, 409, 413, 415, 429, 500, 503]);
});

describe.each(generators)('$name', (generator) => {
  const out = join(work, generator.name.replace(/[^a-z]/g, '-'));

  it('generates a client whose names are the spec own: nothing renamed, nothing shadowing a built-in', { timeout: 180_000 }, async () => {
    await generator.generate(out);
    const names = exportedNames(out);
    const schemaNames = Object.keys(loadSpec().components?.schemas ?? {});
    for (const schema of schemaNames) expect(names, `${schema} is not exported under its own name`).toContain(schema);
    expect(names.filter((name) => /\D2$/.test(name) && names.includes(name.slice(0, -1))), 'names renamed to dodge a collision').toEqual([]);
    expect(names).not.toContain('Error');
  });

  it('compiles with tsc --strict, a literal error body of every status assigned to its type', { timeout: 180_000 }, async () => {
    const check = [
      `import type { ${samples.map((sample) => sample.schema).join(', ')} } from '${generator.typesModule}';`,
      ...samples.map((sample) => `export const sample${sample.schema}: ${sample.schema} = ${JSON.stringify(sample.body)};`),
    ].join('\n');
    writeFileSync(join(out, 'error-bodies.check.ts'), `${check}\n`);
    const compiled = await run(
      process.execPath,
      [join(PACKAGE_ROOT, 'node_modules/typescript/bin/tsc'), '--strict', '--noEmit', '--skipLibCheck', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--lib', 'es2022,dom,dom.iterable', ...listTs(out)],
      { env: OFFLINE_ENV, cwd: out },
    ).then(
      () => '',
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}` || 'tsc failed',
    );
    expect(compiled).toBe('');
  });
});

function listTs(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}
