// A value parsed by parseJsonText is written in a response (responseChunks, stringifyResponse) as the
// text it came from, and by every other JSON.stringify as itself.
import { expect, it } from 'vitest';
import { jsonArrayOf, parseJsonText, responseChunks, stringifyResponse } from '../../server/json-text.js';

const TEXT = '[{"id":1,"n":2.50},{"id":2,"s":"\\u00e9"}]'; // a text JSON.stringify would write otherwise

it('writes the text it was parsed from, wherever the value sits in the body', () => {
  const value = parseJsonText<unknown[]>(TEXT);
  expect(stringifyResponse({ a: value, b: [1, value], c: 'x' })).toBe(`{"a":${TEXT},"b":[1,${TEXT}],"c":"x"}`);
});

it('is the value itself to any other JSON.stringify, and to a key listing', () => {
  const value = parseJsonText<unknown[]>(TEXT);
  expect(JSON.stringify({ a: value })).toBe('{"a":[{"id":1,"n":2.5},{"id":2,"s":"é"}]}');
  expect(Object.keys(value)).toEqual(['0', '1']);
  expect(value).toEqual([{ id: 1, n: 2.5 }, { id: 2, s: 'é' }]);
});

it('leaves a body without such values to JSON.stringify, including strings that look like its marks', () => {
  const body = { s: '"json-text:00000000000000000000000000000000:0"', n: [1, 2] };
  expect(stringifyResponse(body)).toBe(JSON.stringify(body));
});

it('makes an array of remembered values whose text is theirs, and refuses a value without one', () => {
  const [a, b] = ['{"id":1,"n":2.50}', '{"s":"\\u00e9"}'].map((text) => parseJsonText<object>(text));
  const array = jsonArrayOf([b!, a!, b!]);
  expect(stringifyResponse({ page: array })).toBe('{"page":[{"s":"\\u00e9"},{"id":1,"n":2.50},{"s":"\\u00e9"}]}');
  expect(Object.isFrozen(array)).toBe(true);
  expect(() => jsonArrayOf([a!, { id: 2 }])).toThrow(TypeError);
});

it('gives a response as chunks: the text around, and each remembered text as its bytes, encoded once for every response', () => {
  const value = parseJsonText<unknown[]>('[{"s":"é"}]');
  const first = responseChunks({ a: value, n: 1 });
  const second = responseChunks({ b: value });
  expect(first).toEqual(['{"a":', Buffer.from('[{"s":"é"}]'), ',"n":1}']);
  expect(Buffer.concat(first.map((chunk) => Buffer.from(chunk))).toString()).toBe('{"a":[{"s":"é"}],"n":1}');
  expect(second[1]).toBe(first[1]); // the very same bytes: not encoded again
  expect(responseChunks({ plain: [1] })).toEqual(['{"plain":[1]}']);
});
