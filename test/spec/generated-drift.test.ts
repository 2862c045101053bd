// generated/ is committed so readers and the SDK see the types without a build step; this fails the
// moment it no longer matches what openapi.yaml generates. It runs `npm run generate`'s own command,
// with only the output redirected, so the check and the script cannot drift apart either.
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../server/spec.js';

const OUTPUT = 'generated/openapi.ts';

it('generated/openapi.ts is exactly what `npm run generate` makes of openapi.yaml', () => {
  const script = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.generate!;
  expect(script).toContain(`-o ${OUTPUT}`);
  const dir = mkdtempSync(join(tmpdir(), 'bd-generate-'));
  try {
    const fresh = join(dir, 'openapi.ts');
    execSync(script.replace(`-o ${OUTPUT}`, `-o ${fresh}`), {
      cwd: PACKAGE_ROOT,
      stdio: 'pipe',
      env: { ...process.env, PATH: `${join(PACKAGE_ROOT, 'node_modules/.bin')}:${process.env.PATH}` },
    });
    const committed = readFileSync(join(PACKAGE_ROOT, OUTPUT), 'utf8');
    expect(committed === readFileSync(fresh, 'utf8'), `${OUTPUT} has drifted from openapi.yaml: run \`npm run generate\``).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
