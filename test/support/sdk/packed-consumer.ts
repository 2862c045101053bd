// A small app written against the installed SDK package, and the strict TypeScript setup it is
// compiled with: it fails to compile if the package's declarations are wrong, and prints what it
// saw as JSON for the test to check.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpec } from '../../../server/spec.js';

const CONSUMER = `
import { createClient, isBatchDataError, SearchSessionNotFoundError, type SearchSession } from 'batchdata-search-sessions';

const client = createClient({ baseUrl: process.env.BATCHDATA_BASE_URL!, token: process.env.BATCHDATA_TOKEN! });

const delivered: number[] = [];
const body = { searchCriteria: { query: 'AZ' }, options: { take: 40, searchSession: 'packed' } };
for await (const page of client.searchSessionPages(body)) delivered.push(...page.results.properties.map((p) => p.id));

const sessions: SearchSession[] = [];
for await (const session of client.allSearchSessions({ take: 1 })) sessions.push(session);

const deleted = await client.deleteSearchSession('packed');
let failure = 'none';
try {
  await client.deleteSearchSession('packed');
} catch (error) {
  if (!isBatchDataError(error)) throw error;
  switch (error.kind) {
    case 'search-session-not-found': {
      const status: 404 = error.status;
      failure = \`\${error.name} \${status} \${error.searchSessionId} \${error instanceof SearchSessionNotFoundError}\`;
      break;
    }
    default:
      failure = error.kind;
  }
}

let refused = 'none';
try {
  await client.deleteSearchSession('..');
} catch (error) {
  if (isBatchDataError(error) && error.kind === 'validation') refused = error.message;
}

console.log(JSON.stringify({ delivered, sessions: sessions.map((s) => [s.id, s.totalDelivered]), deleted: deleted.results.deleted, failure, refused }));
`;

// No @types/node in the app: the SDK's declarations must not need them.
const GLOBALS = 'declare const process: { env: Record<string, string | undefined> };\n';

const tsconfig = (include: string[], emit: boolean) => ({
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    types: [],
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    ...(emit ? { outDir: 'out', noEmitOnError: true } : { noEmit: true }),
  },
  include: ['globals.d.ts', ...include],
});

/** The TypeScript `x-codeSamples` of openapi.yaml, by operationId. */
export function specSdkSamples(): Record<string, string> {
  const samples: Record<string, string> = {};
  for (const item of Object.values(loadSpec().paths)) {
    for (const operation of Object.values(item) as Array<{ operationId?: string; 'x-codeSamples'?: Array<{ lang: string; source: string }> }>) {
      const sample = operation['x-codeSamples']?.find(({ lang }) => lang === 'TypeScript');
      if (operation.operationId && sample) samples[operation.operationId] = sample.source;
    }
  }
  return samples;
}

/** Writes the app (tsconfig.json → out/consumer.js) and the spec's samples (tsconfig.samples.json, no output). */
export function writeConsumerApp(dir: string): void {
  writeFileSync(join(dir, 'globals.d.ts'), GLOBALS);
  writeFileSync(join(dir, 'consumer.ts'), CONSUMER);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig(['consumer.ts'], true)));
  mkdirSync(join(dir, 'samples'), { recursive: true });
  for (const [operationId, source] of Object.entries(specSdkSamples())) writeFileSync(join(dir, 'samples', `${operationId}.ts`), source);
  writeFileSync(join(dir, 'tsconfig.samples.json'), JSON.stringify(tsconfig(['samples/*.ts'], false)));
}
