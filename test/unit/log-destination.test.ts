import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { turnBufferedLogDestination } from '../../server/log-destination.js';
import { waitFor } from '../support/servers/loopback.js';

let dir: string;
let file: string;
let fd: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'log-destination-'));
  file = join(dir, 'out.log');
  fd = openSync(file, 'w');
});
afterEach(() => {
  // close() hands the descriptor back to the system itself (all but stdout and stderr).
  try {
    closeSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EBADF') throw error;
  }
  rmSync(dir, { recursive: true, force: true });
});

const written = () => readFileSync(file, 'utf8');

describe('turnBufferedLogDestination', () => {
  it('hands the lines of one turn over together, after the turn, in order', async () => {
    const destination = turnBufferedLogDestination(fd);
    destination.write('one\n');
    destination.write('two\n');
    destination.write('three\n');
    expect(written()).toBe(''); // nothing written on the logging request's own path
    await waitFor(() => written() === 'one\ntwo\nthree\n', 5_000, 'the lines never reached the file');
  });

  it('writes out every line on close, a write already in flight first, and takes no more', async () => {
    const destination = turnBufferedLogDestination(fd);
    destination.write('first turn\n');
    await new Promise((resolve) => setImmediate(resolve)); // handed over: its write is under way
    destination.write('second turn\n');
    await destination.close();
    expect(written()).toBe('first turn\nsecond turn\n');
    destination.write('after close\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(written()).toBe('first turn\nsecond turn\n');
  });
});
