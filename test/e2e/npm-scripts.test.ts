// The npm scripts a newcomer types: after a build, `npm start` and `npm run admin` rebuild nothing,
// and the admin CLI's --help answers with its usage and exit 0.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../server/spec.js';

const run = promisify(execFile);

describe('npm scripts', () => {
  it('build only what changed: right after `npm run build` there is nothing to do', async () => {
    // npm test builds before vitest runs, so anything this prints is a rebuild that was not needed.
    const { stdout, stderr } = await run(process.execPath, [join(PACKAGE_ROOT, 'scripts', 'build-if-stale.js')], { cwd: PACKAGE_ROOT });
    expect(stdout + stderr).toBe('');
  });

  it('npm run admin -- --help prints the usage on stdout with exit 0', async () => {
    for (const flag of ['--help', '-h']) {
      const { stdout, stderr } = await run('npm', ['run', '-s', 'admin', '--', flag], { cwd: PACKAGE_ROOT });
      expect(stdout).toMatch(/^Usage: npm run -s admin -- <command>\n/);
      expect(stderr).toBe('');
    }
  });
});
