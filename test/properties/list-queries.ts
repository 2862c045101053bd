// Query strings for listSearchSessions: skip and take with any text at all (integers near and far
// beyond their bounds, fractions, exponents, hex, signs, spaces, other scripts' digits, empty),
// repeated parameters and parameters the operation does not have.
import fc from 'fast-check';
import { LIST_BOUNDS, isIntegerText } from './spec-rules.js';

export interface QueryParameter {
  name: string;
  value: string;
  /** Sent as `name` alone, without `=`. */
  bare: boolean;
}

const KNOWN = ['skip', 'take'] as const;

const integerTexts = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -3, max: 120 }).map(String) },
  { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String) },
  { weight: 2, arbitrary: fc.stringMatching(/^-?0{1,3}\d{0,3}$/) },
  { weight: 2, arbitrary: fc.constantFrom('', '1e2', '0x10', '1.5', '1.0', ' 1', '1 ', '+1', '-0', 'abc', 'NaN', 'Infinity', '\u0661', '\uff15', '1,5', '٣') },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789+-.eExX _'), maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);

const names = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...KNOWN) },
  { weight: 1, arbitrary: fc.constantFrom('limit', 'offset', 'TAKE', 'Skip', 'take[]', 'skip[0]', 'take.x', 'page') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/).filter((name) => !(KNOWN as readonly string[]).includes(name)) },
);

export const queryParameters: fc.Arbitrary<QueryParameter[]> = fc.array(
  fc.record({ name: names, value: integerTexts, bare: fc.nat(19).map((n) => n === 0) }),
  { maxLength: 4 },
);

export function queryString(parameters: QueryParameter[]): string {
  if (parameters.length === 0) return '';
  return `?${parameters.map(({ name, value, bare }) => (bare ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)).join('&')}`;
}

/**
 * What an authorised list with these parameters is owed and, where only one thing is wrong, the
 * messages its 400 may carry.
 */
export function owedToList(parameters: QueryParameter[]): { statuses: number[]; messages?: string[] } {
  const problems: string[][] = [];
  for (const name of new Set(parameters.map((parameter) => parameter.name))) {
    const given = parameters.filter((parameter) => parameter.name === name);
    if (!(KNOWN as readonly string[]).includes(name)) {
      // `take[]` is take sent as an array to a parser that reads brackets, or a name of its own.
      const base = /^(skip|take)\[/.exec(name)?.[1] as (typeof KNOWN)[number] | undefined;
      problems.push([`Unknown query parameter: ${name}`, ...(base ? [ruleOf(base)] : [])]);
      continue;
    }
    const known = name as (typeof KNOWN)[number];
    const { value, bare } = given[0]!;
    if (given.length > 1 || bare || !isIntegerText(value, LIST_BOUNDS[known])) problems.push([ruleOf(known)]);
  }
  if (problems.length === 0) return { statuses: [200] };
  return problems.length === 1 ? { statuses: [400], messages: problems[0]! } : { statuses: [400] };
}

// openapi.yaml's words for the two rules.
const RULES = { skip: 'skip must be an integer >= 0', take: 'take must be an integer between 1 and 100' } as const;
const ruleOf = (name: (typeof KNOWN)[number]) => RULES[name];
