// A fresh install answers searches straight away: on first start, an empty property store is filled
// with the reproducible synthetic set, the same on every machine.
import type { Store } from '../store/store.js';
import { syntheticProperties } from './synthetic.js';

export const FIRST_START_PROPERTIES = 25_000;
export const FIRST_START_SEED = 1;

/** Resolves with how many properties were added: 0 when the store already had some. */
export async function ensureProperties(store: Store): Promise<number> {
  if ((await store.countProperties()) > 0) return 0;
  return store.importProperties(syntheticProperties(FIRST_START_PROPERTIES, FIRST_START_SEED));
}
