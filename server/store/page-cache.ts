// Plain search pages, remembered. Properties are only ever appended, with ids that grow in commit
// order, and a page is a stretch of a query's matches in id order: once a page is full, no later
// property can fall inside it, so it never changes. A page that was short (the query's last) stays
// true only while no property has been added since, which the highest id tells. Which queries a
// store runs is its business; this holds the pages, at most MAX_BYTES of their JSON text and the
// UTF-8 bytes a response encodes that text into once (json-text.ts), counted as much again.
import { jsonTextOf } from '../json-text.js';
import { queryKey, type PropertyQuery } from './query.js';
import { Lru } from './lru.js';
import type { PropertyRecord } from './store.js';

const MAX_BYTES = 8 * 1024 * 1024;
/**
 * What remembering a page costs besides its text (its key, the entry): counted, so that empty pages
 * past the end, one per `skip`, cannot pile up by the million under a budget of bytes of text.
 */
const ENTRY_BYTES = 256;

interface Entry {
  properties: PropertyRecord[];
  /** The highest property id when the page was read: a short page is only true up to it. */
  upToId: number;
  full: boolean;
  /** Its JSON text twice (the text, and its UTF-8 bytes once a response has carried it) and ENTRY_BYTES. */
  bytes: number;
}

export class PageCache {
  private readonly pages = new Lru<string, Entry>(MAX_BYTES, (entry) => entry.bytes);

  /** How many pages are remembered. */
  get size(): number {
    return this.pages.size;
  }

  private static key(query: PropertyQuery, skip: number, take: number): string {
    return `${queryKey(query)}|${skip}|${take}`;
  }

  /** The page as remembered, if it is still the page when the highest property id is `upToId`. */
  get(query: PropertyQuery, skip: number, take: number, upToId: number): PropertyRecord[] | undefined {
    const key = PageCache.key(query, skip, take);
    const entry = this.pages.get(key);
    if (!entry) return undefined;
    if (!entry.full && entry.upToId !== upToId) {
      this.pages.delete(key);
      return undefined;
    }
    return entry.properties;
  }

  /** Remembers a page read when the highest property id was `upToId`; its size is that of its JSON text. */
  set(query: PropertyQuery, skip: number, take: number, upToId: number, properties: PropertyRecord[]): void {
    // Its text, and as much again for the bytes the first response that carries it encodes.
    const bytes = 2 * (jsonTextOf(properties)?.length ?? JSON.stringify(properties).length);
    if (bytes > MAX_BYTES / 16) return; // a page that would crowd out sixteen others is not kept
    this.pages.set(PageCache.key(query, skip, take), { properties, upToId, full: properties.length === take, bytes: bytes + ENTRY_BYTES });
  }
}
