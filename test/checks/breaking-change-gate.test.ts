// The gate `npm run check:breaking` runs (scripts/check-breaking.js: Optic against the released
// contract in spec-baseline/) is only evidence if it can fail. Here it is shown to pass the spec
// as it is and an additive change, to fail a change that breaks existing clients, and to let the
// same break through once info.version's major number is raised.
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { PACKAGE_ROOT } from '../../server/spec.js';
import { runNode } from '../support/servers/server-process.js';
import { specVariants, type SpecTree } from './support/spec-variant.js';
import { OFFLINE_ENV } from './support/tools.js';

const BASELINE = join(PACKAGE_ROOT, 'spec-baseline/openapi.yaml');
const gate = (candidate?: string) => runNode(join(PACKAGE_ROOT, 'scripts/check-breaking.js'), candidate ? [BASELINE, candidate] : [], OFFLINE_ENV);

// Variants start from the released contract, so each shows exactly one change against it.
const variants = specVariants(BASELINE);
afterAll(() => variants.remove());

const schemas = (spec: SpecTree) => spec.components.schemas;
const listResults = (spec: SpecTree) => schemas(spec).ListSearchSessionsResponse.properties.results;
const withVersion =
  (version: string, ...changes: Array<(spec: SpecTree) => void>) =>
  (spec: SpecTree) => {
    changes.forEach((change) => change(spec));
    spec.info.version = version;
  };

const dropTotal = (spec: SpecTree) => {
  listResults(spec).required = listResults(spec).required.filter((name: string) => name !== 'total');
};
const requireRegion = (spec: SpecTree) => {
  const request = schemas(spec).SearchRequest;
  request.properties.region = { type: 'string', description: 'A new field every client would have to send.' };
  request.required.push('region');
};

/** Renames components.<kind>.<from> and every $ref to it, in place. */
function renameComponent(spec: SpecTree, kind: string, from: string, to: string): void {
  const components = spec.components[kind];
  components[to] = components[from];
  delete components[from];
  const target = `#/components/${kind}/${from}`;
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.$ref === target) record.$ref = `#/components/${kind}/${to}`;
    Object.values(record).forEach(visit);
  };
  visit(spec);
}

// Each run is an Optic process of a few seconds; they are independent, so they run side by side.
// Side by side on a busy machine (two cores, the rest of npm test beside them) one run took 40-60 s,
// hence the generous bound.
describe.concurrent('npm run check:breaking', { timeout: 240_000 }, () => {
  it('passes openapi.yaml against the released contract', async ({ expect }) => {
    const { code, stdout, stderr } = await gate();
    expect(code, stdout + stderr).toBe(0);
  });

  // README, "Breaking-change gate": a component's name is not on the wire, so renaming one
  // everywhere it is referenced passes like an additive change (it renames a type in generated
  // clients, which README's rule for renames covers instead).
  it('passes additive changes (a new optional response field, a new optional request field) and renamed components', async ({ expect }) => {
    const { code, stdout, stderr } = await gate(
      variants.write('additive', (spec) => {
        listResults(spec).properties.nextSkip = { type: 'integer', minimum: 0, description: 'Where the next page starts.' };
        schemas(spec).SearchRequest.properties.options.properties.sort = { type: 'string', enum: ['id'] };
        renameComponent(spec, 'schemas', 'Error', 'ErrorEnvelope');
        renameComponent(spec, 'parameters', 'SearchSessionId', 'SearchSessionIdInPath');
      }),
    );
    expect(code, stdout + stderr).toBe(0);
  });

  it.for<[string, (spec: SpecTree) => void, RegExp]>([
    ['a required response field made optional', dropTotal, /required response property 'total' optional/],
    ['a new required request field', requireRegion, /region/],
  ])('fails %s, naming it', async ([name, change, named], { expect }) => {
    const { code, stdout } = await gate(variants.write(name.replaceAll(' ', '-'), change));
    expect(code).not.toBe(0);
    expect(stdout).toMatch(/breaking change/i);
    expect(stdout).toMatch(named);
  });

  it('fails a break under a minor version bump', async ({ expect }) => {
    const { code } = await gate(variants.write('minor', withVersion('1.1.0', dropTotal, requireRegion)));
    expect(code).not.toBe(0);
  });

  it('passes the same breaks once the major version is raised', async ({ expect }) => {
    const { code, stdout, stderr } = await gate(variants.write('major', withVersion('2.0.0', dropTotal, requireRegion)));
    expect(code, stdout + stderr).toBe(0);
  });
});
