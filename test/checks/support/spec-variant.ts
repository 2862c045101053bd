// A copy of openapi.yaml with one deliberate change, in a temp folder, for showing that a check
// notices that change. Parsed and re-serialised rather than edited as text, so a variant keeps
// meaning the same thing while the spec's wording moves on.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { SPEC_PATH } from '../../../server/spec.js';

// A variant reaches anywhere into the document; typing every path would only restate the spec.
export type SpecTree = any;

export interface SpecVariants {
  /** Writes the spec, changed by `change`, and returns the file's path. */
  write(name: string, change: (spec: SpecTree) => void): string;
  remove(): void;
}

export function specVariants(source = SPEC_PATH): SpecVariants {
  const dir = mkdtempSync(join(tmpdir(), 'bd-spec-variant-'));
  const text = readFileSync(source, 'utf8');
  return {
    write(name, change) {
      const spec = parse(text) as SpecTree;
      change(spec);
      const path = join(dir, `${name}.yaml`);
      writeFileSync(path, stringify(spec, { lineWidth: 0 }));
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
