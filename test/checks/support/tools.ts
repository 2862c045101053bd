// The third-party tools the independent checks run, as child processes of node. None of them may
// reach the network: each one's telemetry, analytics and update check is switched off here, and
// the only servers they are pointed at are on loopback.
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../server/spec.js';

export const OFFLINE_ENV: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
  OPTIC_TELEMETRY_LEVEL: 'off',
  NO_UPDATE_NOTIFIER: '1',
  SCARF_ANALYTICS: 'false',
  NO_COLOR: '1',
};

/** The JavaScript file behind an npm bin, so it can be run with this node and no shell. */
export const toolEntry = (bin: 'prism' | 'redocly' | 'spectral'): string => realpathSync(join(PACKAGE_ROOT, 'node_modules/.bin', bin));
