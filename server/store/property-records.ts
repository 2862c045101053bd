// Properties by id, remembered. A property is never changed once stored and its id is never given
// to another (ids come from AUTOINCREMENT), so the record an id stands for is the same for the life
// of the store. A page is therefore read as ids, from the query's index alone, and its records are
// taken from here: building a record's JSON in SQL and parsing it again cost several times the
// index read, page after page, for the same records (a fleet of sessions walks one area together).
// Only the records missing here are read, in one statement. At most MAX_BYTES of their JSON text is
// kept, least recently used first to go.
import { jsonArrayOf, jsonTextOf, parseJsonText } from '../json-text.js';
import { Lru } from './lru.js';
import type { PropertyRecord } from './store.js';

const MAX_BYTES = 8 * 1024 * 1024;
/** What remembering a record costs besides its text: its parsed objects and the entry. */
const ENTRY_BYTES = 320;

export class PropertyRecords {
  private readonly records = new Lru<number, PropertyRecord>(MAX_BYTES, (record) => jsonTextOf(record)!.length + ENTRY_BYTES);

  /** `read` gives the JSON text of each stored property among `ids`, in any order. */
  constructor(private readonly read: (ids: number[]) => string[]) {}

  /** How many records are remembered. */
  get size(): number {
    return this.records.size;
  }

  /**
   * The records of `ids`, in that order, as one frozen array that remembers its JSON text. An id
   * with no stored property (none is ever removed, so only a caller's mistake) is left out.
   */
  byIds(ids: readonly number[]): PropertyRecord[] {
    const found = ids.map((id) => this.records.get(id));
    const missing = ids.filter((_id, i) => found[i] === undefined);
    if (missing.length > 0) {
      const read = new Map<number, PropertyRecord>();
      for (const text of this.read(missing)) {
        const record = parseJsonText<PropertyRecord>(text);
        read.set(record.id, record);
        this.records.set(record.id, record);
      }
      ids.forEach((id, i) => (found[i] ??= read.get(id)));
    }
    return jsonArrayOf(found.filter((record) => record !== undefined));
  }
}
