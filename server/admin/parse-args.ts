// Turns the admin CLI's argv into one checked command, or a UsageError. No I/O here, so every
// rule about arguments can be tested without a database.
import { parseArgs } from 'node:util';
import { ABILITIES, SEARCH_SESSION_ID_PATTERN } from '../../generated/rules.js';
import type { Ability } from '../store/store.js';
import { TOKEN_ID_PATTERN } from '../tokens.js';

// Session ids and abilities are the API's (generated/rules.ts, from openapi.yaml); team names and
// token ids exist only here and in the store.
export const TEAM_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

export type AdminCommand =
  | { name: 'teams create'; team: string }
  | { name: 'tokens create'; team: string; abilities: Ability[] }
  | { name: 'tokens list'; team: string }
  | { name: 'tokens revoke'; tokenId: string }
  | { name: 'sessions create'; team: string; sessionId: string }
  | { name: 'properties import'; file: string }
  | { name: 'properties generate'; count: number; seed: number | undefined }
  | { name: 'migrate' };

export const USAGE = `Usage: npm run -s admin -- <command>

Commands:
  teams create <team>
  tokens create --team <team> --ability <ability> [--ability <ability>]...
  tokens list --team <team>
  tokens revoke <tokenId>
  sessions create --team <team> --id <sessionId>
  properties import <file.csv>          (columns: street,city,state,zip,bedrooms,bathrooms,yearBuilt,estimatedValue)
  properties generate --count <n> [--seed <seed>]
  migrate                               (applies pending schema migrations; every server start does too)
  help, --help, -h                      (this text)

Abilities: ${ABILITIES.join(', ')}
Team names match ${TEAM_NAME_PATTERN.source}, session ids ${SEARCH_SESSION_ID_PATTERN.source}.
The database is DATABASE_URL (default sqlite:./data/batchdata.db).
`;

export class UsageError extends Error {}

type OptionSpec = { type: 'string'; multiple?: boolean; optional?: boolean };

interface Parsed {
  positionals: string[];
  values: Record<string, string | string[] | undefined>;
}

/** Parses the arguments after "<group> <verb>": exactly these positionals and options, nothing else. */
function parseExactly(args: string[], positionalNames: string[], options: Record<string, OptionSpec>): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    // node:util reports unknown options, missing values and the like this way; anything else is a bug.
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS_')) throw new UsageError((error as Error).message);
    throw error;
  }
  if (parsed.positionals.length !== positionalNames.length) {
    const expected = positionalNames.length === 0 ? 'no arguments' : positionalNames.map((name) => `<${name}>`).join(' ');
    throw new UsageError(`Expected ${expected}, got ${JSON.stringify(parsed.positionals)}.`);
  }
  for (const [name, spec] of Object.entries(options)) {
    const uses = parsed.tokens.filter((token) => token.kind === 'option' && token.name === name).length;
    if (uses === 0 && !spec.optional) throw new UsageError(`Missing --${name}.`);
    // node:util would silently keep the last of a repeated option; a typo should not pick a team.
    if (uses > 1 && !spec.multiple) throw new UsageError(`--${name} may be given only once.`);
  }
  return { positionals: parsed.positionals, values: parsed.values };
}

function matching(what: string, value: string, pattern: RegExp): string {
  if (!pattern.test(value)) throw new UsageError(`${what} must match ${pattern} (got ${JSON.stringify(value)}).`);
  return value;
}

const teamName = (value: unknown): string => matching('Team name', String(value), TEAM_NAME_PATTERN);

function abilities(values: unknown): Ability[] {
  const given = values as string[];
  for (const value of given) {
    if (!(ABILITIES as readonly string[]).includes(value)) {
      throw new UsageError(`Unknown ability ${JSON.stringify(value)}; abilities are ${ABILITIES.join(', ')}.`);
    }
  }
  return ABILITIES.filter((ability) => given.includes(ability));
}

function positiveInteger(what: string, value: unknown, max: number): number {
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) throw new UsageError(`${what} must be an integer between 1 and ${max} (got ${JSON.stringify(text)}).`);
  return Number(text);
}

const COMMANDS: Record<string, (args: string[]) => AdminCommand> = {
  migrate: (args) => {
    parseExactly(args, [], {});
    return { name: 'migrate' };
  },
  'teams create': (args) => {
    const { positionals } = parseExactly(args, ['team'], {});
    return { name: 'teams create', team: teamName(positionals[0]) };
  },
  'tokens create': (args) => {
    const { values } = parseExactly(args, [], { team: { type: 'string' }, ability: { type: 'string', multiple: true } });
    return { name: 'tokens create', team: teamName(values.team), abilities: abilities(values.ability) };
  },
  'tokens list': (args) => {
    const { values } = parseExactly(args, [], { team: { type: 'string' } });
    return { name: 'tokens list', team: teamName(values.team) };
  },
  'tokens revoke': (args) => {
    const { positionals } = parseExactly(args, ['tokenId'], {});
    return { name: 'tokens revoke', tokenId: matching('Token id', String(positionals[0]), TOKEN_ID_PATTERN) };
  },
  'sessions create': (args) => {
    const { values } = parseExactly(args, [], { team: { type: 'string' }, id: { type: 'string' } });
    return {
      name: 'sessions create',
      team: teamName(values.team),
      sessionId: matching('Session id', String(values.id), SEARCH_SESSION_ID_PATTERN),
    };
  },
  'properties import': (args) => {
    const { positionals } = parseExactly(args, ['file'], {});
    return { name: 'properties import', file: String(positionals[0]) };
  },
  'properties generate': (args) => {
    const { values } = parseExactly(args, [], { count: { type: 'string' }, seed: { type: 'string', optional: true } });
    return {
      name: 'properties generate',
      count: positiveInteger('--count', values.count, 10_000_000),
      seed: values.seed === undefined ? undefined : positiveInteger('--seed', values.seed, 2 ** 32 - 1),
    };
  },
};

/** `--help` or `-h` anywhere (`tokens create --help` too), or `help` as the command: print usage, exit 0. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv[0] === 'help' || argv.includes('--help') || argv.includes('-h');
}

export function parseAdminArgs(argv: readonly string[]): AdminCommand {
  // A command is one word (`migrate`) or two (`teams create`).
  for (const words of [1, 2]) {
    const key = argv.slice(0, words).join(' ');
    if (argv.length >= words && Object.hasOwn(COMMANDS, key)) return COMMANDS[key]!(argv.slice(words));
  }
  throw new UsageError(argv.length === 0 ? 'No command given.' : `Unknown command: ${argv.slice(0, 2).join(' ')}`);
}
