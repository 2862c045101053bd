// `properties import` and `properties generate`: a bad row anywhere imports nothing and names its
// line; a good file lands whole, in file order; synthetic runs are reproducible and never repeat.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../server/admin/cli.js';
import { openStore } from '../../server/store/open-store.js';
import { createTempDatabase, type TempDatabase } from '../support/databases/sqlite-fixtures.js';

const HEADER = 'street,city,state,zip,bedrooms,bathrooms,yearBuilt,estimatedValue';
const ROW = (i: number) => `${i} Main St,Phoenix,AZ,85020,3,2,1990,${400000 + i}`;
let temp: TempDatabase;

beforeEach(() => {
  temp = createTempDatabase();
});
afterEach(() => temp.remove());

async function cli(argv: string[], { tty = false } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: tty },
    env: { DATABASE_URL: temp.url },
  });
  return { code, stdout, stderr };
}

function csv(name: string, lines: string[]): string {
  const path = join(temp.dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function storedProperties() {
  const store = await openStore(temp.url, { purge: false });
  try {
    return { count: await store.countProperties(), page: await store.searchProperties({ kind: 'state', state: 'AZ' }, 0, 500) };
  } finally {
    await store.close();
  }
}

describe('properties import', () => {
  it('imports a whole file in file order, with quoted fields and any header order', async () => {
    const file = csv('good.csv', ['zip,street,city,state,bedrooms,bathrooms,yearBuilt,estimatedValue', '85020,"1 Main St, Unit 2",Phoenix,az,3,2.5,1990,400000', '85021,2 Oak Ave,Phoenix,AZ,0,1,2024,1']);
    const result = await cli(['properties', 'import', file]);
    expect(result).toMatchObject({ code: 0, stdout: 'Imported 2 properties from good.csv\n' });
    const { page } = await storedProperties();
    expect(page.properties).toEqual([
      { id: 1, address: { street: '1 Main St, Unit 2', city: 'Phoenix', state: 'AZ', zip: '85020' }, bedrooms: 3, bathrooms: 2.5, yearBuilt: 1990, estimatedValue: 400000 },
      { id: 2, address: { street: '2 Oak Ave', city: 'Phoenix', state: 'AZ', zip: '85021' }, bedrooms: 0, bathrooms: 1, yearBuilt: 2024, estimatedValue: 1 },
    ]);
  });

  it.each([
    ['a bad ZIP', ROW(2).replace('85020', '8502'), 'line 3: zip must be five digits (got "8502")'],
    ['a bad state', ROW(2).replace(',AZ,', ',Arizona,'), 'line 3: state is longer than 2 characters'],
    ['a fractional bedroom count', ROW(2).replace(',3,2,', ',3.5,2,'), 'line 3: bedrooms must be an integer between 0 and 100 (got "3.5")'],
    ['an empty street', ROW(2).replace('2 Main St', ''), 'line 3: street is empty'],
    ['a missing field', '3 Main St,Phoenix,AZ,85020,3,2,1990', 'line 3: '],
    ['an unclosed quote', '"3 Main St,Phoenix,AZ,85020,3,2,1990,1', 'line 3: '],
  ])('imports nothing from a file with %s, and names its line', async (_name, badLine, message) => {
    const file = csv('bad.csv', [HEADER, ROW(1), badLine, ROW(3)]);
    const result = await cli(['properties', 'import', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`error: ${message}`);
    expect((await storedProperties()).count).toBe(0);
  });

  it('imports nothing when the bad row comes after many good batches', async () => {
    const lines = [HEADER, ...Array.from({ length: 12_000 }, (_, i) => ROW(i + 1)), ROW(0).replace('Phoenix', '')];
    const result = await cli(['properties', 'import', csv('late.csv', lines)]);
    expect(result.stderr).toContain('error: line 12002: city is empty');
    expect((await storedProperties()).count).toBe(0);
  });

  it('refuses a header without the columns, naming what is missing and unknown', async () => {
    const result = await cli(['properties', 'import', csv('header.csv', ['street,city,state,zipcode', '1 Main,Phoenix,AZ,85020'])]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('line 1: the header must name the columns street,city,state,zip,bedrooms,bathrooms,yearBuilt,estimatedValue (missing zip, bedrooms, bathrooms, yearBuilt, estimatedValue; unknown zipcode)');
  });

  it('says so when the file does not exist', async () => {
    const result = await cli(['properties', 'import', join(temp.dir, 'absent.csv')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*ENOENT/);
  });

  it('draws a progress bar only for a person at a terminal', async () => {
    const file = csv('many.csv', [HEADER, ...Array.from({ length: 12_000 }, (_, i) => ROW(i + 1))]);
    const quiet = await cli(['properties', 'import', file]);
    expect(quiet.stderr).toBe('');
    temp.remove();
    temp = createTempDatabase();
    const watched = await cli(['properties', 'import', csv('many.csv', [HEADER, ...Array.from({ length: 12_000 }, (_, i) => ROW(i + 1))])], { tty: true });
    expect(watched.stderr).toContain('100% done');
    expect(watched.stderr).toMatch(/\r\[#+-*\] \d+% 5,000 rows/);
    expect(watched.stdout).toBe('Imported 12000 properties from many.csv\n');
  });
});

describe('properties generate', () => {
  it('adds N reproducible properties, and a second run adds different ones', async () => {
    expect(await cli(['properties', 'generate', '--count', '1500', '--seed', '9'])).toMatchObject({ code: 0, stdout: 'Added 1500 synthetic properties (seed 9)\n' });
    const again = await cli(['properties', 'generate', '--count', '10']);
    expect(again.stdout).toBe('Added 10 synthetic properties (seed 1501)\n');
    expect((await storedProperties()).count).toBe(1510);
  });

  it.each([['0'], ['1.5'], ['lots'], ['10000001'], ['=-3']])('refuses --count %s with usage', async (count) => {
    const result = await cli(['properties', 'generate', count.startsWith('=') ? `--count${count}` : '--count', ...(count.startsWith('=') ? [] : [count])]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--count must be an integer between 1 and 10000000');
    expect(result.stderr).toContain('Usage:');
  });

  it('refuses a negative count given as a separate argument, as node:util reads it as an option', async () => {
    const result = await cli(['properties', 'generate', '--count', '-3']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Option '--count' argument is ambiguous");
  });

  it('needs --count', async () => {
    expect((await cli(['properties', 'generate'])).stderr).toContain('Missing --count.');
  });
});
