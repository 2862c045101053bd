// The API allows any skip >= 0, but a database offset is a 64-bit integer and a JavaScript number
// is exact only to 2^53. A skip that large is past the end of every table, which the largest exact
// integer says just as well, so every store binds this instead of the raw skip.
export function asOffset(skip: number): number {
  return Math.min(skip, Number.MAX_SAFE_INTEGER);
}
