// generated/ is committed so readers and the SDK see the types and rules without a build step; this
// fails the moment a file there no longer matches what openapi.yaml generates. It runs
// `npm run generate`'s own command, with only the outputs redirected, so the check and the script
// cannot drift apart either.
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../server/spec.js';

const OUTPUTS = ['generated/openapi.ts', 'generated/rules.ts'];

it(`${OUTPUTS.join(' and ')} are exactly what \`npm run generate\` makes of openapi.yaml`, () => {
  let script = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.generate!;
  const dir = mkdtempSync(join(tmpdir(), 'bd-generate-'));
  try {
    for (const output of OUTPUTS) {
      expect(script).toContain(`-o ${output}`);
      script = script.replace(`-o ${output}`, `-o ${join(dir, output.replace('/', '-'))}`);
    }
    execSync(script, {
      cwd: PACKAGE_ROOT,
      stdio: 'pipe',
      env: { ...process.env, PATH: `${join(PACKAGE_ROOT, 'node_modules/.bin')}:${process.env.PATH}` },
    });
    for (const output of OUTPUTS) {
      const committed = readFileSync(join(PACKAGE_ROOT, output), 'utf8');
      const fresh = readFileSync(join(dir, output.replace('/', '-')), 'utf8');
      expect(committed === fresh, `${output} has drifted from openapi.yaml: run \`npm run generate\``).toBe(true);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
