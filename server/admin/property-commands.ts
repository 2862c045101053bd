// The `properties` admin commands: bring a user's CSV in, or make synthetic properties. Both go
// through the store's all-or-nothing import, so an interrupted or failed run leaves nothing behind.
import { basename } from 'node:path';
import { readPropertiesCsv, type CsvProgress } from '../properties/csv-import.js';
import { syntheticProperties } from '../properties/synthetic.js';
import type { Store } from '../store/store.js';
import type { Output } from './commands.js';

export async function importCsv(store: Store, file: string, output: Output): Promise<number> {
  const added = await store.importProperties(
    readPropertiesCsv(file, { onProgress: ({ bytesRead, totalBytes, rows }: CsvProgress) => output.progress?.(bytesRead / (totalBytes || 1), `${rows.toLocaleString('en-US')} rows`) }),
  );
  output.progress?.(1, 'done');
  output.out(`Imported ${added} properties from ${basename(file)}`);
  return 0;
}

export async function generate(store: Store, count: number, seed: number | undefined, output: Output): Promise<number> {
  // Without a seed, continue from what the store holds, so a second run adds new properties
  // rather than the same ones again; the result is still reproducible from the store's state.
  const effectiveSeed = seed ?? (await store.countProperties()) + 1;
  let made = 0;
  const batches = (async function* () {
    for await (const batch of syntheticProperties(count, effectiveSeed)) {
      made += batch.length;
      output.progress?.(made / count, `${made.toLocaleString('en-US')} of ${count.toLocaleString('en-US')}`);
      yield batch;
    }
  })();
  const added = await store.importProperties(batches);
  output.out(`Added ${added} synthetic properties (seed ${effectiveSeed})`);
  return 0;
}
