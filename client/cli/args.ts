// Turns argv into one command, or a UsageError. Values are only parsed here (a number is a number);
// their ranges are the SDK's to check, so the CLI refuses them in the server's words.
import { parseArgs } from 'node:util';

export type CliCommand =
  | { name: 'help' }
  | { name: 'sessions list'; json: boolean; skip?: number; take?: number }
  | { name: 'sessions delete'; json: boolean; searchSessionId: string }
  | {
      name: 'search';
      json: boolean;
      query: string;
      session?: string;
      skip?: number;
      take?: number;
      idempotencyKey?: string;
      /** Cursor pagination: asked for by --cursor, or by giving --page-cursor. */
      cursor: boolean;
      pageCursor?: string;
    };

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  skip: { type: 'string' },
  take: { type: 'string' },
  query: { type: 'string' },
  session: { type: 'string' },
  'idempotency-key': { type: 'string' },
  cursor: { type: 'boolean' },
  'page-cursor': { type: 'string' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** Options each command accepts besides --json and --help. */
const ACCEPTS: Record<Exclude<CliCommand['name'], 'help'>, readonly OptionName[]> = {
  'sessions list': ['skip', 'take'],
  'sessions delete': [],
  search: ['query', 'session', 'skip', 'take', 'idempotency-key', 'cursor', 'page-cursor'],
};

function integer(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) throw new UsageError(`--${option} must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util reports unknown options, missing values and the like this way; anything else is a bug.
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS_')) throw new UsageError((error as Error).message);
    throw error;
  }
}

function commandName(positionals: readonly string[]): { name: keyof typeof ACCEPTS; rest: string[] } {
  const [group, verb, ...rest] = positionals;
  if (group === 'search') return { name: 'search', rest: verb === undefined ? [] : [verb, ...rest] };
  const name = `${group} ${verb}`;
  if (name === 'sessions list' || name === 'sessions delete') return { name, rest };
  throw new UsageError(group === undefined ? 'No command given.' : `Unknown command: ${positionals.slice(0, 2).join(' ')}`);
}

export function parseCliArgs(argv: readonly string[]): CliCommand {
  const { values, positionals } = parse(argv);
  if (values.help) return { name: 'help' };
  const { name, rest } = commandName(positionals);
  const given = (Object.keys(values) as OptionName[]).filter((option) => option !== 'json' && option !== 'help');
  const stray = given.find((option) => !ACCEPTS[name].includes(option));
  if (stray !== undefined) throw new UsageError(`${name} does not take --${stray}`);
  const json = values.json ?? false;
  const skip = integer('skip', values.skip);
  const take = integer('take', values.take);

  if (name === 'sessions delete') {
    if (rest.length !== 1) throw new UsageError('sessions delete takes exactly one <searchSessionId>');
    return { name, json, searchSessionId: rest[0]! };
  }
  if (rest.length > 0) throw new UsageError(`Unexpected argument: ${rest[0]}`);
  if (name === 'sessions list') return { name, json, skip, take };
  if (values.query === undefined) throw new UsageError('search needs --query');
  const pageCursor = values['page-cursor'];
  return {
    name,
    json,
    query: values.query,
    session: values.session,
    skip,
    take,
    idempotencyKey: values['idempotency-key'],
    cursor: (values.cursor ?? false) || pageCursor !== undefined,
    pageCursor,
  };
}

// The CLI's help text, printed for --help and after every usage error.
export const USAGE = `Usage: batchdata-search-sessions <command> [options]

Commands:
  sessions list [--skip <n>] [--take <n>]   the team's sessions; all of them unless --skip or --take
  sessions delete <searchSessionId>         delete a session and free its slot
  search --query <query> [--session <id>] [--take <n>] [--skip <n>] [--idempotency-key <key>]
         [--cursor] [--page-cursor <cursor>]
                                            one page of properties; with --session, its next page;
                                            with --cursor, the first page of a walk by cursor, and
                                            with --page-cursor, the page after that cursor

Options:
  --json        print the API's results as JSON on stdout (errors as JSON on stderr)
  -h, --help    print this help

Environment:
  BATCHDATA_TOKEN     the API token (required)
  BATCHDATA_BASE_URL  the API's base URL (default https://api.batchdata.com)

Queries: a ZIP code (85020), a state (AZ) or a city and state ("Phoenix, AZ").
Exit codes: 0 ok, 1 internal error, 2 usage error, 3 API error, 4 network error or timeout.
`;
