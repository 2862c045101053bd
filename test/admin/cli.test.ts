import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../server/tokens.js';
import { main } from '../../server/admin/cli.js';
import { openStore } from '../../server/store/open-store.js';
import { SESSION_SLOTS_PER_TEAM } from '../../server/store/store.js';
import { createTempDatabase, type TempDatabase } from '../support/databases/sqlite-fixtures.js';

let temp: TempDatabase;

beforeEach(() => {
  temp = createTempDatabase();
});

afterEach(() => {
  temp.remove();
});

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { DATABASE_URL: temp.url },
  });
  return { code, stdout, stderr };
}

async function withStore<T>(work: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const store = await openStore(temp.url, { purge: false });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function createToken(team: string, ...abilities: string[]): Promise<string> {
  const { code, stdout } = await cli('tokens', 'create', '--team', team, ...abilities.flatMap((a) => ['--ability', a]));
  expect(code).toBe(0);
  return stdout.trimEnd();
}

describe('admin CLI', () => {
  it('prints its usage on stdout with exit 0 for --help, -h and help, without opening the database', async () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['tokens', 'create', '--help']]) {
      const { code, stdout, stderr } = await cli(...argv);
      expect({ argv, code, stderr }).toEqual({ argv, code: 0, stderr: '' });
      expect(stdout).toMatch(/^Usage: npm run -s admin -- <command>/);
    }
    expect(existsSync(temp.file)).toBe(false);
  });

  it('teams create prints the team, and refuses an existing one with exit 1', async () => {
    expect(await cli('teams', 'create', 'acme')).toEqual({ code: 0, stdout: 'acme\n', stderr: '' });
    expect(await cli('teams', 'create', 'acme')).toEqual({ code: 1, stdout: '', stderr: 'error: Team already exists: acme\n' });
  });

  it('tokens create prints the token alone on stdout and stores only its hash', async () => {
    await cli('teams', 'create', 'acme');
    const result = await cli('tokens', 'create', '--team', 'acme', '--ability', 'property-search', '--ability', 'property-search-sessions');

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^bds_[A-Za-z0-9_-]{43}\n$/);
    expect(result.stderr).toMatch(/^Created tok_[0-9a-f]{16} for team acme/);
    const token = result.stdout.trimEnd();
    expect(result.stderr).not.toContain(token);

    const principal = await withStore((store) => store.findPrincipal(hashToken(token)));
    expect(principal).toMatchObject({ abilities: ['property-search', 'property-search-sessions'] });

    const onDisk = ['', '-wal'].map((suffix) => (existsSync(temp.file + suffix) ? readFileSync(temp.file + suffix) : Buffer.alloc(0)));
    for (const bytes of onDisk) expect(bytes.includes(token)).toBe(false);
  });

  it('tokens create fails with exit 1 for an unknown team', async () => {
    expect(await cli('tokens', 'create', '--team', 'ghost', '--ability', 'property-search')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: Unknown team: ghost\n',
    });
  });

  it('tokens list shows ids, abilities and dates but never a token or hash', async () => {
    await cli('teams', 'create', 'acme');
    await cli('teams', 'create', 'globex');
    const token = await createToken('acme', 'property-search');
    await createToken('globex', 'property-search');
    const [info] = await withStore(async (store) => store.listTokens((await store.findTeamByName('acme'))!.id));

    const { code, stdout, stderr } = await cli('tokens', 'list', '--team', 'acme');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^ID\s+ABILITIES\s+CREATED\s+REVOKED$/);
    expect(lines[1]?.split(/\s+/)).toEqual([info!.id, 'property-search', info!.createdAt.toISOString(), '-']);
    expect(stdout).not.toContain(token);
    expect(stdout).not.toContain(hashToken(token));
    expect(stdout).not.toContain(Buffer.from(hashToken(token), 'hex').toString('base64'));
  });

  it('tokens revoke revokes once, then fails with exit 1', async () => {
    await cli('teams', 'create', 'acme');
    const token = await createToken('acme', 'property-search');
    const principal = await withStore((store) => store.findPrincipal(hashToken(token)));

    expect(await cli('tokens', 'revoke', principal!.tokenId)).toEqual({ code: 0, stdout: `Revoked ${principal!.tokenId}\n`, stderr: '' });
    expect(await withStore((store) => store.findPrincipal(hashToken(token)))).toBeNull();
    expect((await cli('tokens', 'list', '--team', 'acme')).stdout).toMatch(/ \d{4}-\d\d-\d\dT[\d:.]+Z\n$/);

    const again = await cli('tokens', 'revoke', principal!.tokenId);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: No active token with id tok_[0-9a-f]{16} \(unknown or already revoked\)\.\n$/);
  });

  it('sessions create reports created, already exists, and the slot limit with exit 1', async () => {
    await cli('teams', 'create', 'acme');
    expect(await cli('sessions', 'create', '--team', 'acme', '--id', 's0')).toEqual({ code: 0, stdout: 'Created session s0\n', stderr: '' });
    expect(await cli('sessions', 'create', '--team', 'acme', '--id', 's0')).toEqual({
      code: 0,
      stdout: 'Session already exists: s0\n',
      stderr: '',
    });

    await withStore(async (store) => {
      const team = (await store.findTeamByName('acme'))!;
      for (let i = 1; i < SESSION_SLOTS_PER_TEAM; i++) await store.createSession(team.id, `s${i}`);
    });
    expect(await cli('sessions', 'create', '--team', 'acme', '--id', 'one-more')).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: Session limit reached: team acme already has ${SESSION_SLOTS_PER_TEAM} sessions.\n`,
    });
    expect((await cli('sessions', 'create', '--team', 'ghost', '--id', 'x')).stderr).toBe('error: Unknown team: ghost\n');
  });

  it.each([
    [[]],
    [['teams', 'remove', 'acme']],
    [['teams', 'create']],
    [['teams', 'create', 'no spaces']],
    [['tokens', 'create', '--team', 'acme', '--ability', 'everything']],
    [['tokens', 'create', '--team', 'acme']],
    [['tokens', 'list', '--team', 'acme', '--verbose']],
    [['tokens', 'revoke', 'tok_1', 'tok_2']],
    [['sessions', 'create', '--team', 'acme', '--id', 'white space']],
  ])('answers %j with the usage on stderr and exit 2, without touching the database', async (argv: string[]) => {
    const { code, stdout, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: .+\n\nUsage: npm run -s admin -- <command>\n/);
    expect(existsSync(temp.file)).toBe(false);
  });

  it('reports a DATABASE_URL it cannot use on one line with exit 1', async () => {
    let stderr = '';
    const code = await main(['teams', 'create', 'acme'], {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
      env: { DATABASE_URL: 'mysql://localhost/db' },
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: DATABASE_URL must look like sqlite:<path> or postgres:\/\/<user>@<host>:<port>\/<database> \(got "mysql:\/\/localhost\/db"\)\n$/);
  });

  it('migrate brings the schema up to date and says so', async () => {
    expect(await cli('migrate')).toEqual({ code: 0, stdout: 'The database schema is up to date.\n', stderr: '' });
    expect(existsSync(temp.file)).toBe(true);
  });
});
