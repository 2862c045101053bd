// Options and request fields a caller left undefined must not override a default: spreading
// `{ take: undefined }` would.
export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
