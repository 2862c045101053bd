// Plain search pages, remembered. Properties are only ever appended, with ids that grow in commit
// order, and a page is a stretch of a query's matches in id order: once a page is full, no later
// property can fall inside it, so it never changes. A page that was short (the query's last) stays
// true only while no property has been added since, which the highest id tells. Which queries a
// store runs is its business; this holds the pages, at most MAX_BYTES of their JSON text.
import { jsonTextOf } from '../json-text.js';
import { queryKey } from '../search/parse-query.js';
import type { PropertyQuery, PropertyRecord } from './store.js';

const MAX_BYTES = 8 * 1024 * 1024;

interface Entry {
  properties: PropertyRecord[];
  /** The highest property id when the page was read: a short page is only true up to it. */
  upToId: number;
  full: boolean;
  bytes: number;
}

export class PageCache {
  private readonly pages = new Map<string, Entry>();
  private bytes = 0;

  private static key(query: PropertyQuery, skip: number, take: number): string {
    return `${queryKey(query)}|${skip}|${take}`;
  }

  /** The page as remembered, if it is still the page when the highest property id is `upToId`. */
  get(query: PropertyQuery, skip: number, take: number, upToId: number): PropertyRecord[] | undefined {
    const key = PageCache.key(query, skip, take);
    const entry = this.pages.get(key);
    if (!entry) return undefined;
    if (!entry.full && entry.upToId !== upToId) {
      this.forget(key, entry);
      return undefined;
    }
    // Least recently used goes first: a page read again moves to the back.
    this.pages.delete(key);
    this.pages.set(key, entry);
    return entry.properties;
  }

  /** Remembers a page read when the highest property id was `upToId`; its size is that of its JSON text. */
  set(query: PropertyQuery, skip: number, take: number, upToId: number, properties: PropertyRecord[]): void {
    const bytes = jsonTextOf(properties)?.length ?? JSON.stringify(properties).length;
    if (bytes > MAX_BYTES / 16) return; // a page that would crowd out sixteen others is not kept
    const key = PageCache.key(query, skip, take);
    const old = this.pages.get(key);
    if (old) this.forget(key, old);
    this.pages.set(key, { properties, upToId, full: properties.length === take, bytes });
    this.bytes += bytes;
    for (const [oldestKey, oldest] of this.pages) {
      if (this.bytes <= MAX_BYTES) break;
      this.forget(oldestKey, oldest);
    }
  }

  private forget(key: string, entry: Entry): void {
    this.pages.delete(key);
    this.bytes -= entry.bytes;
  }
}
