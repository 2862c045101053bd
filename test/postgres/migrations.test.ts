// Versioned migrations on PostgreSQL: applied once, by any start or by `admin migrate`, recorded in
// schema_migrations, and a database from a newer release refused rather than misread.
import { expect, it } from 'vitest';
import { main } from '../../server/admin/cli.js';
import { MIGRATIONS } from '../../server/store/postgres/migrations.js';
import { openStore } from '../../server/store/open-store.js';
import { numbers, withClient } from '../support/databases/postgres-fixtures.js';
import { usePostgresCluster } from '../support/databases/postgres-suite.js';
import { describeWithServices } from '../support/databases/required-services.js';

async function cli(databaseUrl: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { DATABASE_URL: databaseUrl },
  });
  return { code, stdout, stderr };
}

describeWithServices('postgres')('PostgreSQL migrations', () => {
  const postgres = usePostgresCluster();

  it('are applied by `admin migrate`, once, and recorded', async () => {
    const url = await postgres.freshDatabase();
    const versions = Array.from(MIGRATIONS, (_, index) => index + 1);
    expect(await cli(url, 'migrate')).toEqual({ code: 0, stdout: 'The database schema is up to date.\n', stderr: '' });
    expect(await numbers(url, 'SELECT version FROM schema_migrations ORDER BY 1')).toEqual(versions);
    expect((await cli(url, 'migrate')).code).toBe(0);
    expect(await numbers(url, 'SELECT version FROM schema_migrations ORDER BY 1')).toEqual(versions);
    expect(await numbers(url, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'sessions'")).toEqual([1]);
  });

  it('serve every admin command on the same DATABASE_URL', async () => {
    const url = await postgres.freshDatabase();
    expect(await cli(url, 'teams', 'create', 'acme')).toEqual({ code: 0, stdout: 'acme\n', stderr: '' });
    const token = await cli(url, 'tokens', 'create', '--team', 'acme', '--ability', 'property-search');
    expect(token.stdout).toMatch(/^bds_/);
    expect((await cli(url, 'tokens', 'list', '--team', 'acme')).stdout).toMatch(/tok_[0-9a-f]{16} {2}property-search/);
    expect(await cli(url, 'sessions', 'create', '--team', 'acme', '--id', 'leads')).toMatchObject({ code: 0, stdout: 'Created session leads\n' });
    expect(await cli(url, 'properties', 'generate', '--count', '1000', '--seed', '3')).toMatchObject({ code: 0 });
    expect(await numbers(url, 'SELECT count(*) FROM properties')).toEqual([1_000]);
  });

  it('refuse a database whose schema is newer than this release', async () => {
    const url = await postgres.freshDatabase();
    await (await openStore(url, { purge: false })).close();
    await withClient(url, (client) => client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [MIGRATIONS.length + 1]));
    await expect(openStore(url, { purge: false })).rejects.toThrow(/newer than this release knows/);
    const refused = await cli(url, 'migrate');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: Cannot open the PostgreSQL database at postgres:\/\/.*newer than this release knows/);
  });

  it('report an unreachable database on one line, with no password in it', async () => {
    const result = await cli(`postgres://app:s3cret@127.0.0.1:${postgres.cluster.port + 1}/none`, 'migrate');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: Cannot open the PostgreSQL database at postgres:\/\/\*\*\*@127\.0\.0\.1:\d+\/none: .+\n$/);
    expect(result.stderr).not.toContain('s3cret');
  });
});
