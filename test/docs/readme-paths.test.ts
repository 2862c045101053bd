// The READMEs and docs/ send a reader to files by path: "the cursor is signed in
// server/operations/page-cursor.ts". A move that leaves such a path behind sends them nowhere, so
// every path they name in the repository must exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../server/spec.js';

const DOCUMENTS = ['README.md', 'client/README.md', ...readdirSync(join(PACKAGE_ROOT, 'docs')).map((name) => `docs/${name}`)];
const TOP_FOLDERS = ['server', 'client', 'generated', 'test', 'bench', 'scripts', 'docs'];
const PATH = new RegExp(`(?<![\\w./-])(?:${TOP_FOLDERS.join('|')})/[\\w./-]*\\.(?:ts|js|md|yaml|json)\\b`, 'g');

it('every repository path the READMEs and docs/ name exists', () => {
  const missing = DOCUMENTS.flatMap((document) =>
    [...readFileSync(join(PACKAGE_ROOT, document), 'utf8').matchAll(PATH)]
      .map(([path]) => path)
      .filter((path) => !existsSync(join(PACKAGE_ROOT, path)))
      .map((path) => `${document}: ${path}`),
  );
  expect(missing).toEqual([]);
});
