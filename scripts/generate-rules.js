// npm run generate, second half: writes generated/rules.ts, the request rules the SDK and the admin
// CLI check before anything reaches the server, read from openapi.yaml so that no one copies a
// pattern, a range or a 400's words by hand. test/spec/generated-drift.test.ts fails when the
// committed file is not what this makes of the spec.
//
//   node scripts/generate-rules.js -o generated/rules.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { output: { type: 'string', short: 'o' } }, strict: true });
if (!values.output) throw new Error('usage: node scripts/generate-rules.js -o <file>');

const spec = parse(readFileSync(join(root, 'openapi.yaml'), 'utf8'));

/** The node a local `$ref` points at, following chains of references. */
function resolve(node) {
  let current = node;
  while (current && typeof current.$ref === 'string') {
    if (!current.$ref.startsWith('#/')) throw new Error(`only local references are supported: ${current.$ref}`);
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce((parent, key) => parent?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], spec);
    if (current === undefined) throw new Error(`openapi.yaml has no ${node.$ref}`);
  }
  return current;
}

/** The value at a path of keys, each step through references; fails loudly when the spec lost it. */
function at(...keys) {
  let node = spec;
  for (const key of keys) {
    node = resolve(node)?.[key];
    if (node === undefined) throw new Error(`openapi.yaml has no ${keys.join('.')}`);
  }
  return resolve(node);
}

const searchRequest = at('components', 'schemas', 'SearchRequest');
const searchOption = (name) => at('components', 'schemas', 'SearchRequest', 'properties', 'options', 'properties', name);
const parameterSchema = (name) => at('components', 'parameters', name, 'schema');
const exampleMessage = (name) => at('components', 'examples', name, 'value', 'status', 'message');

/** `{ minimum, maximum }` of an integer schema, leaving out a bound it does not have. */
function range(schema) {
  if (schema.type !== 'integer') throw new Error(`expected an integer schema, got ${JSON.stringify(schema)}`);
  return Object.fromEntries(['minimum', 'maximum'].filter((bound) => schema[bound] !== undefined).map((bound) => [bound, schema[bound]]));
}

/** A regular expression literal whose `source` is the pattern exactly. */
function regex(pattern) {
  const expression = new RegExp(pattern);
  if (expression.source !== pattern) throw new Error(`pattern does not survive as a literal: ${pattern}`);
  return expression.toString();
}

/** Every role a bearerAuth requirement names, in the order the operations first name them. */
function abilities() {
  const roles = [];
  for (const pathItem of Object.values(spec.paths)) {
    for (const operation of Object.values(pathItem)) {
      for (const requirement of operation?.security ?? []) {
        for (const role of requirement.bearerAuth ?? []) if (!roles.includes(role)) roles.push(role);
      }
    }
  }
  return roles;
}

const query = at('components', 'schemas', 'SearchRequest', 'properties', 'searchCriteria', 'properties', 'query');
const pageCursor = searchOption('pageCursor');
const sessionId = at('components', 'schemas', 'SearchSessionId');
const fieldsOf = (schema) => Object.keys(resolve(schema).properties ?? {});

const json = (value) => (Array.isArray(value) ? `[${value.map(json).join(', ')}]` : JSON.stringify(value));
const key = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : json(name));
/** An object literal of already-written values: on one line when short, else one entry a line. */
function object(entries) {
  const written = Object.entries(entries).map(([name, value]) => `${key(name)}: ${value}`);
  const line = `{ ${written.join(', ')} }`;
  return line.length <= 80 ? line : `{\n${written.map((entry) => `  ${entry},`).join('\n')}\n}`;
}
const rangeText = (schema) => `${object(Object.fromEntries(Object.entries(range(schema)).map(([name, value]) => [name, json(value)])))} as const`;

const rules = [
  ['The roles a bearerAuth requirement names: the abilities a token can carry.', 'ABILITIES', `${json(abilities())} as const`],
  ['`components.schemas.SearchSessionId.pattern`: the only session ids the API accepts.', 'SEARCH_SESSION_ID_PATTERN', regex(sessionId.pattern)],
  ['`components.parameters.Skip.schema`.', 'SKIP_RANGE', rangeText(parameterSchema('Skip'))],
  ['`components.parameters.Take.schema`.', 'TAKE_RANGE', rangeText(parameterSchema('Take'))],
  ['`SearchRequest` `options.take`.', 'SEARCH_TAKE_RANGE', rangeText(searchOption('take'))],
  ['`SearchRequest` `options.skip`.', 'SEARCH_SKIP_RANGE', rangeText(searchOption('skip'))],
  [
    '`searchCriteria.query`: its pattern and length limits, and the rule the spec words for people (`x-rule`).',
    'SEARCH_QUERY_RULE',
    `${object({ pattern: regex(query.pattern), minLength: json(query.minLength), maxLength: json(query.maxLength), message: json(query['x-rule']) })} as const`,
  ],
  [
    'The fields `SearchRequest` has, at each level; the API answers 400 to any other.',
    'SEARCH_REQUEST_FIELDS',
    `${object({
      '': json(fieldsOf(searchRequest)),
      ...Object.fromEntries(fieldsOf(searchRequest).map((field) => [field, json(fieldsOf(searchRequest.properties[field]))])),
    })} as const`,
  ],
  [
    '`options.pageCursor`: its pattern and length limit, and the rule the spec words for people (`x-rule`).',
    'PAGE_CURSOR_RULE',
    `${object({ pattern: regex(pageCursor.pattern), maxLength: json(pageCursor.maxLength), message: json(pageCursor['x-rule']) })} as const`,
  ],
  ['`components.parameters.IdempotencyKey.schema.pattern`.', 'IDEMPOTENCY_KEY_PATTERN', regex(parameterSchema('IdempotencyKey').pattern)],
  ['The words of the SkipWithSession example, a rule no schema keyword can state.', 'SKIP_WITH_SESSION_MESSAGE', json(exampleMessage('SkipWithSession'))],
  [
    'The words of the examples PageCursorWithoutCursorPagination, SkipWithCursor and CursorWithSession: the options cursor pagination cannot be combined with.',
    'CURSOR_CONFLICT_MESSAGES',
    `${object({
      pageCursorAlone: json(exampleMessage('PageCursorWithoutCursorPagination')),
      skip: json(exampleMessage('SkipWithCursor')),
      searchSession: json(exampleMessage('CursorWithSession')),
    })} as const`,
  ],
];

const text = [
  '// Generated from openapi.yaml by `npm run generate` (scripts/generate-rules.js). Do not edit:',
  '// change the spec and generate again.',
  '',
  ...rules.flatMap(([doc, name, value]) => [`/** ${doc} */`, `export const ${name} = ${value};`, '']),
].join('\n');
writeFileSync(values.output, text);
