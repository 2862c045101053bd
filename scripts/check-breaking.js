// npm run check:breaking [-- <baseline> <candidate>]: fails when the candidate spec breaks a client
// of the released one, unless the candidate raised info.version's major number. Optic does the
// diffing; this script only pins what it compares, which standard it applies, and that it never
// phones home (no telemetry, no update check, no login: everything is read from local files).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [baseline = join(root, 'spec-baseline/openapi.yaml'), candidate = join(root, 'openapi.yaml')] = process.argv.slice(2);
const optic = createRequire(import.meta.url).resolve('@useoptic/optic/build/index.js');

const { status, error } = spawnSync(
  process.execPath,
  [optic, 'diff', baseline, candidate, '--check', '--standard', join(root, 'spec-baseline/optic.yml'), '--severity', 'error'],
  {
    stdio: 'inherit',
    env: { ...process.env, OPTIC_TELEMETRY_LEVEL: 'off', NO_UPDATE_NOTIFIER: '1', SCARF_ANALYTICS: 'false' },
    timeout: 120_000,
  },
);
if (error) throw error;
process.exit(status ?? 1);
