// A fresh SQLite store in a temp folder for each test of the calling file, closed and removed
// after it. The purger is off unless a test file asks for it.
import { afterEach, beforeEach } from 'vitest';
import { openStore, type OpenStoreOptions } from '../../../server/store/open-store.js';
import type { Store } from '../../../server/store/store.js';
import { createTempDatabase, type TempDatabase } from './sqlite-fixtures.js';

export function freshStoreEachTest(options: OpenStoreOptions = { purge: false }): { temp: TempDatabase; store: Store } {
  const context = {} as { temp: TempDatabase; store: Store };
  beforeEach(async () => {
    context.temp = createTempDatabase();
    context.store = await openStore(context.temp.url, options);
  });
  afterEach(async () => {
    await context.store.close();
    context.temp.remove();
  });
  return context;
}
