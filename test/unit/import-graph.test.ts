// The layout's promises, held by the imports themselves: no module reaches itself through others,
// the SDK stands apart from the server (it is published alone), and the store sits at the bottom,
// importing nothing of the layers that use it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../server/spec.js';

/** Every module under the given folders, mapped to the modules of ours it imports (types too). */
function importGraph(folders: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const folder of folders) {
    for (const entry of readdirSync(join(PACKAGE_ROOT, folder), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const file = relative(PACKAGE_ROOT, join(entry.parentPath, entry.name));
      const { importedFiles } = ts.preProcessFile(readFileSync(join(PACKAGE_ROOT, file), 'utf8'), true, true);
      graph.set(
        file,
        importedFiles
          .map(({ fileName }) => fileName)
          .filter((name) => name.startsWith('.'))
          .map((name) => join(dirname(file), name).replace(/\.js$/, '.ts')),
      );
    }
  }
  return graph;
}

/** Import cycles, as the modules along each: at least one through every set of modules that import one another round. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (file: string, path: string[]): void => {
    const at = path.indexOf(file);
    if (at !== -1) return void found.push(path.slice(at));
    if (done.has(file) || !graph.has(file)) return;
    for (const next of graph.get(file)!) visit(next, [...path, file]);
    done.add(file);
  };
  for (const file of graph.keys()) visit(file, []);
  return found;
}

const graph = importGraph(['server', 'client', 'generated']);
const arrows = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));

describe('the import graph', () => {
  it('reads the modules it judges', () => {
    expect(graph.get('server/app.ts')).toContain('server/http/routing.ts');
    expect(graph.get('client/client.ts')).toContain('generated/rules.ts');
  });

  it('has no cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps the SDK apart from the server: client/ imports only client/ and generated/', () => {
    expect(arrows.filter(({ from, to }) => from.startsWith('client/') && !/^(client|generated)\//.test(to))).toEqual([]);
  });

  it('keeps the store at the bottom: store/ imports only the store, generated/ and two leaf modules', () => {
    const leaves = ['server/json-text.ts', 'server/tokens.ts'];
    const upward = arrows.filter(({ from, to }) => from.startsWith('server/store/') && !to.startsWith('server/store/') && !to.startsWith('generated/') && !leaves.includes(to));
    expect(upward).toEqual([]);
    for (const leaf of leaves) expect(graph.get(leaf)).toEqual([]);
  });
});
