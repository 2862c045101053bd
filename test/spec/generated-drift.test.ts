// generated/ is committed so readers and the SDK see the types without a build step; this fails the
// moment it no longer matches what openapi.yaml generates. Fix with `npm run generate`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../server/spec.js';

it('generated/openapi.ts is exactly what openapi-typescript makes of openapi.yaml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bd-generate-'));
  try {
    const fresh = join(dir, 'openapi.ts');
    execFileSync(join(PACKAGE_ROOT, 'node_modules/.bin/openapi-typescript'), ['openapi.yaml', '-o', fresh], { cwd: PACKAGE_ROOT, stdio: 'pipe' });
    const committed = readFileSync(join(PACKAGE_ROOT, 'generated/openapi.ts'), 'utf8');
    expect(committed === readFileSync(fresh, 'utf8'), 'generated/openapi.ts has drifted from openapi.yaml: run `npm run generate`').toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
