// What the SDK costs a browser app: the SDK and openapi-fetch bundled by esbuild, minified and
// gzipped. The README states the figure; this holds it under a budget and keeps the bundle free of
// anything but the SDK and openapi-fetch (no Node built-ins, no other package).
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** Bytes, minified and gzipped. Measured 6,601 (openapi-fetch alone: 2,598). */
const BUDGET = 8 * 1024;

async function bundle() {
  const result = await build({
    entryPoints: ['client/index.ts'],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { gzipped: gzipSync(code, { level: 9 }).length, inputs: Object.keys(result.metafile.inputs) };
}

describe('bundle size', () => {
  it(`the SDK with openapi-fetch, minified and gzipped, stays under ${BUDGET} bytes`, async () => {
    const { gzipped } = await bundle();
    expect(gzipped).toBeLessThanOrEqual(BUDGET);
    // A figure far under the measured one means the bundle lost something, not that it got better.
    expect(gzipped).toBeGreaterThan(4 * 1024);
  });

  it('holds only the SDK\'s own modules, the rules generated from the spec and openapi-fetch: nothing for Node, nothing else', async () => {
    const { inputs } = await bundle();
    const ours = (input: string) => input.startsWith('client/') || input === 'generated/rules.ts';
    const foreign = inputs.filter((input) => !ours(input) && input !== 'node_modules/openapi-fetch/dist/index.mjs');
    expect(foreign).toEqual([]);
    expect(inputs.some((input) => input.startsWith('client/cli/'))).toBe(false);
  });
});
