// Adding properties: every batch goes into one transaction as it arrives, so the import is all or
// nothing and never holds more than one batch in memory. Imports take turns (a table lock that
// plain reads ignore): ids come from a sequence as rows are inserted, and two imports interleaving
// could commit a lower id after a delivery cursor has already passed it; that property would then
// never be delivered to that session. One at a time, a later commit always has higher ids.
import type pg from 'pg';
import { normalizeCity } from '../query.js';
import type { NewProperty } from '../store.js';
import { inTransaction } from './transaction.js';

// Arrays in, rows out, in the batch's order, so ids follow the file.
const INSERT_BATCH = `INSERT INTO properties (street, city, city_key, state, zip, bedrooms, bathrooms, year_built, estimated_value)
  SELECT street, city, city_key, state, zip, bedrooms, bathrooms, year_built, estimated_value
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::integer[], $7::float8[], $8::integer[], $9::bigint[])
         WITH ORDINALITY AS batch (street, city, city_key, state, zip, bedrooms, bathrooms, year_built, estimated_value, position)
   ORDER BY position`;

function columnsOf(batch: NewProperty[]): unknown[][] {
  return [
    batch.map((p) => p.address.street),
    batch.map((p) => p.address.city),
    batch.map((p) => normalizeCity(p.address.city)),
    batch.map((p) => p.address.state),
    batch.map((p) => p.address.zip),
    batch.map((p) => p.bedrooms),
    batch.map((p) => p.bathrooms),
    batch.map((p) => p.yearBuilt),
    batch.map((p) => p.estimatedValue),
  ];
}

export function importProperties(pool: pg.Pool, batches: AsyncIterable<NewProperty[]>): Promise<number> {
  return inTransaction(pool, async (client) => {
    // The source may be slow (a large file being parsed): the usual idle-in-transaction guard is
    // for stuck request transactions, not for this one. Waiting for another import is bounded.
    await client.query("SET LOCAL idle_in_transaction_session_timeout = 0; SET LOCAL statement_timeout = '60s'");
    await client.query('LOCK TABLE properties IN SHARE ROW EXCLUSIVE MODE');
    let added = 0;
    for await (const batch of batches) {
      if (batch.length > 0) added += (await client.query(INSERT_BATCH, columnsOf(batch))).rowCount ?? 0;
    }
    return added;
  });
}
