// A key for one logical search request. getRandomValues, not randomUUID: the latter exists only in
// secure contexts, and a browser app may be served over plain HTTP.
export function newIdempotencyKey(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return `bd-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
