// Imports stream into a TEMP staging table, which takes no lock on the database, and reach the
// properties table in one INSERT … SELECT at the end: all rows or none, and the write lock is held
// for that last statement only, not for as long as a large file takes to read.
import type Database from 'better-sqlite3';
import { normalizeCity } from '../query.js';
import type { NewProperty } from '../store.js';
import { retryWhileBusy } from './busy-wait.js';

const COLUMNS = 'street, city, city_key, state, zip, bedrooms, bathrooms, year_built, estimated_value';

export async function importProperties(db: Database.Database, batches: AsyncIterable<NewProperty[]>): Promise<number> {
  db.exec(`DROP TABLE IF EXISTS temp.property_import;
    CREATE TEMP TABLE property_import (${COLUMNS.split(', ').map((c) => `${c} ANY`).join(', ')})`);
  try {
    const stage = db.prepare(`INSERT INTO temp.property_import (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const stageBatch = db.transaction((batch: NewProperty[]) => {
      for (const p of batch) {
        const { street, city, state, zip } = p.address;
        stage.run(street, city, normalizeCity(city), state, zip, p.bedrooms, p.bathrooms, p.yearBuilt, p.estimatedValue);
      }
    });
    for await (const batch of batches) stageBatch(batch);
    // rowid order is arrival order, so ids follow the file.
    const publish = db.transaction(
      () => db.prepare(`INSERT INTO properties (${COLUMNS}) SELECT ${COLUMNS} FROM temp.property_import ORDER BY rowid`).run().changes,
    );
    return await retryWhileBusy(() => publish.immediate());
  } finally {
    db.exec('DROP TABLE IF EXISTS temp.property_import');
  }
}
