// Spectral's second opinion on openapi.yaml: zero findings (as `npm run lint:spectral` demands),
// and each rule .spectral.yaml adds to spectral:oas shown to fire on a spec that breaks it, so a
// clean run means the spec keeps those promises rather than that the rules never look.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, SPEC_PATH } from '../../server/spec.js';
import { runNode } from '../support/servers/server-process.js';
import { specVariants, type SpecTree } from './support/spec-variant.js';
import { OFFLINE_ENV, toolEntry } from './support/tools.js';

interface SpectralFinding {
  code: string;
  message: string;
  source: string;
}

const deleteOperation = (spec: SpecTree) => spec.paths['/api/v2/property/search-sessions/{searchSessionId}'].delete;

const broken: Array<[name: string, rule: string, change: (spec: SpecTree) => void]> = [
  ['a misspelt ability', 'security-requirements-defined', (spec) => (deleteOperation(spec).security = [{ bearerAuth: ['property-search-session'] }])],
  ['an undefined scheme', 'security-requirements-defined', (spec) => (deleteOperation(spec).security = [{ apiKey: [] }])],
  [
    'a misspelt conditional ability',
    'conditional-abilities-known',
    (spec) => (spec.paths['/api/v1/property/search'].post['x-abilities-when-present'] = { '/options/searchSession': ['sessions'] }),
  ],
  ['an operation without its 401', 'every-operation-documents-the-common-errors', (spec) => delete deleteOperation(spec).responses['401']],
  ['an operation without its 503', 'every-operation-documents-the-common-errors', (spec) => delete deleteOperation(spec).responses['503']],
  ['a 401 without WWW-Authenticate', 'unauthorized-declares-www-authenticate', (spec) => delete spec.components.responses.Unauthorized.headers['WWW-Authenticate']],
  ['a 405 without Allow', 'method-not-allowed-declares-allow', (spec) => delete spec.components.responses.MethodNotAllowed.headers.Allow],
  ['a 429 without Retry-After', 'retry-later-declares-retry-after', (spec) => delete spec.components.responses.TooManyRequests.headers['Retry-After']],
  ['a 503 without any headers', 'retry-later-declares-retry-after', (spec) => delete spec.components.responses.ServiceUnavailable.headers],
];

const variants = specVariants();
const files = new Map<string, string>();
let findings: SpectralFinding[] = [];

// One Spectral run over every file: a run costs a second or two of start-up, a file almost nothing.
beforeAll(async () => {
  files.set('unchanged', variants.write('unchanged', () => {}));
  broken.forEach(([name, , change], index) => files.set(name, variants.write(`variant-${index}`, change)));
  const { stdout, stderr } = await runNode(
    toolEntry('spectral'),
    ['lint', SPEC_PATH, ...files.values(), '--ruleset', join(PACKAGE_ROOT, '.spectral.yaml'), '--format', 'json', '--quiet'],
    OFFLINE_ENV,
  );
  if (!stdout.trim().startsWith('[')) throw new Error(`spectral gave no JSON report: ${stdout}${stderr}`);
  findings = JSON.parse(stdout) as SpectralFinding[];
});
afterAll(() => variants.remove());

const findingsIn = (file: string) => findings.filter((finding) => finding.source === file);

it('finds nothing in openapi.yaml', () => {
  expect(findingsIn(SPEC_PATH)).toEqual([]);
});

it('finds nothing in openapi.yaml re-serialised, the starting point of every variant', () => {
  expect(findingsIn(files.get('unchanged')!)).toEqual([]);
});

describe('the project rules fire on a spec that breaks them', () => {
  it.each(broken)('%s → %s', (name, rule) => {
    expect(findingsIn(files.get(name)!).map((finding) => finding.code)).toContain(rule);
  });
});
