// JSON that is already text. A page of properties leaves SQLite as one JSON text; parsing it gives
// the records every layer above works with (typed, and validated against the spec outside
// production), and serialising them again for the response would cost as much as the parse. So a
// value parsed here remembers its text, and stringifyResponse() writes that text in its place. A
// value served many times (a remembered session list) can be given its text once the same way.
import { randomBytes } from 'node:crypto';

// A string no value can hold by chance: 128 random bits, new in every process.
const PLACEHOLDER = `"json-text:${randomBytes(16).toString('hex')}:`;
const texts = new WeakMap<object, string>();
/** Texts as UTF-8, made the first time a response carries them: a remembered page is encoded once. */
const encoded = new WeakMap<object, Buffer>();
/** The values met by the responseChunks() in progress, in order; null outside one. */
let collecting: object[] | null = null;

function toJSON(this: object): unknown {
  if (collecting === null || !texts.has(this)) return this; // any other JSON.stringify: the value itself
  collecting.push(this);
  return `${PLACEHOLDER.slice(1)}${collecting.length - 1}`;
}

function bytesOf(value: object): Buffer {
  let bytes = encoded.get(value);
  if (!bytes) encoded.set(value, (bytes = Buffer.from(texts.get(value)!, 'utf8')));
  return bytes;
}

function deepFreeze(value: object): void {
  Object.freeze(value);
  for (const key in value) {
    const inner = (value as Record<string, unknown>)[key];
    if (inner !== null && typeof inner === 'object') deepFreeze(inner);
  }
}

/**
 * JSON.parse, for a value that is then only read: it is frozen, deeply, since the text it remembers
 * would no longer stand for it once changed. Its toJSON is not enumerable: only JSON.stringify sees it.
 */
export function parseJsonText<T extends object>(text: string): T {
  return remember(JSON.parse(text) as T, text);
}

/**
 * The values of several JSON texts, parsed together (one JSON.parse is cheaper than one each), each
 * frozen and remembering its own text for the arrays jsonArrayOf() makes of them. They have no
 * toJSON of their own: they reach a response inside such an array, and alone JSON.stringify writes
 * them as it would anyway.
 */
export function parseJsonTexts<T extends object>(parts: readonly string[]): T[] {
  const values = JSON.parse(`[${parts.join(',')}]`) as T[];
  values.forEach((value, i) => {
    texts.set(value, parts[i]!);
    deepFreeze(value);
  });
  return values;
}

/** The value, frozen, remembering its JSON text for every later response that carries it. */
export function withJsonText<T extends object>(value: T): T {
  return remember(value, JSON.stringify(value));
}

/**
 * An array of values given by parseJsonText() or withJsonText(), frozen, remembering the text their
 * own texts make: nothing is parsed or serialised again, however many arrays share the values.
 */
export function jsonArrayOf<T extends object>(items: T[]): T[] {
  const parts = items.map((item) => texts.get(item));
  if (parts.some((part) => part === undefined)) throw new TypeError('jsonArrayOf() takes only values that remember their JSON text');
  texts.set(items, `[${parts.join(',')}]`);
  Object.defineProperty(items, 'toJSON', { value: toJSON });
  Object.freeze(items); // its items are frozen already, deeply
  return items;
}

/** The text a value given by parseJsonText() or withJsonText() remembers. */
export function jsonTextOf(value: object): string | undefined {
  return texts.get(value);
}

function remember<T extends object>(value: T, text: string): T {
  texts.set(value, text);
  Object.defineProperty(value, 'toJSON', { value: toJSON });
  deepFreeze(value);
  return value;
}

/**
 * JSON.stringify(body) as the chunks a response writes one after another: the text around the values
 * that remember theirs, and each of those as its UTF-8 bytes, encoded once for every response that
 * carries it. A page is neither copied into one string per response nor measured and encoded again
 * when it is written.
 */
export function responseChunks(body: unknown): Array<string | Buffer> {
  const found: object[] = [];
  collecting = found;
  let json: string;
  try {
    json = JSON.stringify(body);
  } finally {
    collecting = null;
  }
  if (found.length === 0) return [json];
  // JSON.stringify asks for the texts in the order it writes them, so each placeholder is the next
  // one along: found by indexOf, not by a regular expression over the whole body.
  const chunks: Array<string | Buffer> = [];
  let from = 0;
  for (const value of found) {
    const at = json.indexOf(PLACEHOLDER, from);
    if (at > from) chunks.push(json.slice(from, at));
    chunks.push(bytesOf(value));
    from = json.indexOf('"', at + PLACEHOLDER.length) + 1;
  }
  if (from < json.length) chunks.push(json.slice(from));
  return chunks;
}

/** JSON.stringify(body), with the text of every value parsed by parseJsonText() written as it came. */
export function stringifyResponse(body: unknown): string {
  return responseChunks(body)
    .map((chunk) => chunk.toString())
    .join('');
}
