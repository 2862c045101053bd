#!/usr/bin/env node
// The `batchdata-search-sessions` command. Everything but process wiring is in run.ts.
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
