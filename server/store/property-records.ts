// Properties by id, remembered. A property is never changed once stored and its id is never given
// to another (ids come from AUTOINCREMENT), so the record an id stands for is the same for the life
// of the store. A page is therefore read as ids, from the query's index alone, and its records are
// taken from here: building a record's JSON in SQL and parsing it again cost several times the
// index read, page after page, for the same records (a fleet of sessions walks one area together).
// Only the records missing here are read, in one statement. At most MAX_RECORDS are kept, least
// recently used first to go.
import { jsonArrayOf, parseJsonText, parseJsonTexts } from '../json-text.js';
import { Lru } from './lru.js';
import type { PropertyRecord } from './store.js';

/**
 * Records remembered: a record is a few hundred bytes of text and objects, so about 8 MiB in all.
 * Counted rather than weighed: a cache miss then costs no more than reading the record.
 */
const MAX_RECORDS = 16_384;
/**
 * A page of more records than this is read past the cache, as one text parsed once: a bulk read
 * would push out the records that many small pages share, and is seldom asked for again. It then
 * costs what it did before there was a cache, whatever the cache holds.
 */
const LARGEST_REMEMBERED_PAGE = 100;

export class PropertyRecords {
  private readonly records = new Lru<number, PropertyRecord>(MAX_RECORDS);

  /** `read` gives the JSON text of each stored property among `ids`, in id order. */
  constructor(private readonly read: (ids: readonly number[]) => string[]) {}

  /** How many records are remembered. */
  get size(): number {
    return this.records.size;
  }

  /**
   * The records of `ids` (ascending, as a page's are), as one frozen array that remembers its JSON
   * text. An id with no stored property (none is ever removed, so only a caller's mistake) is left out.
   */
  byIds(ids: readonly number[]): PropertyRecord[] {
    if (ids.length > LARGEST_REMEMBERED_PAGE) return parseJsonText<PropertyRecord[]>(`[${this.read(ids).join(',')}]`);
    const found = ids.map((id) => this.records.get(id));
    const missing = ids.filter((_id, i) => found[i] === undefined);
    if (missing.length > 0) {
      const read = new Map<number, PropertyRecord>();
      for (const record of parseJsonTexts<PropertyRecord>(this.read(missing))) {
        read.set(record.id, record);
        this.records.set(record.id, record);
      }
      ids.forEach((id, i) => (found[i] ??= read.get(id)));
    }
    return jsonArrayOf(found.filter((record) => record !== undefined));
  }
}
