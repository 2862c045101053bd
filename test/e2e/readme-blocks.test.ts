// README's shell blocks as a newcomer pastes them: every ```sh block must parse, and every block not
// marked `<!-- not run by the README test: <why> -->` runs, in README order and in one shell (so an
// `export` carries over, as in one terminal), against a server started with `npm start` on
// 127.0.0.1. What a block prints must be the ```text block under it, once tokens, ids, request ids
// and times are set aside. The same start shows that `npm start` prints no third-party banner and
// that SIGTERM sent to npm stops the server itself, gracefully.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../server/spec.js';

const README = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
const README_ORIGIN = 'http://127.0.0.1:3000';
const NOT_RUN = /<!-- not run by the README test: [^>]+ -->\s*$/;

interface ShellBlock {
  line: number;
  code: string;
  run: boolean;
  /** The ```text block right under it: what it prints. */
  expected?: string;
}

function shellBlocks(markdown: string): ShellBlock[] {
  const fence = /^```(\w*)\n([\s\S]*?)^```\n/gm;
  const fences = [...markdown.matchAll(fence)].map((match) => ({
    lang: match[1]!,
    body: match[2]!,
    start: match.index,
    end: match.index + match[0].length,
  }));
  return fences.flatMap((block, i) => {
    if (block.lang !== 'sh') return [];
    const next = fences[i + 1];
    const outputFollows = next?.lang === 'text' && markdown.slice(block.end, next.start).trim() === '';
    return [
      {
        line: markdown.slice(0, block.start).split('\n').length,
        code: block.body,
        run: !NOT_RUN.test(markdown.slice(0, block.start)),
        ...(outputFollows ? { expected: next.body } : {}),
      },
    ];
  });
}

/** Sets aside what differs from run to run: secrets, ids, request ids, times. */
function normalise(output: string): string {
  return output
    .replace(/bds_[A-Za-z0-9_-]{43}/g, 'bds_<token>')
    .replace(/tok_[0-9a-f]{16}/g, 'tok_<id>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>')
    .replace(/\b[0-9A-HJKMNP-TV-Z]{26}\b/g, '<ulid>')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

const BLOCK_END = '@@readme-block-end@@';

describe("README's shell blocks", () => {
  const blocks = shellBlocks(README);
  let dir: string;
  let npmStart: ChildProcess;
  let url: string;
  let startOutput = '';
  let outputs: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bd-readme-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATABASE_URL: `sqlite:${join(dir, 'batchdata.db')}`, LOG_LEVEL: 'info' };
    delete env.NODE_ENV;
    npmStart = spawn('npm', ['start'], { cwd: PACKAGE_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    npmStart.stdout!.on('data', (chunk) => (startOutput += chunk));
    npmStart.stderr!.on('data', (chunk) => (startOutput += chunk));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not listen: ${startOutput}`)), 90_000);
      npmStart.stdout!.on('data', () => {
        const listening = /"url":"(http:[^"]+)".*"msg":"listening"/.exec(startOutput);
        if (listening) {
          clearTimeout(timer);
          resolve(listening[1]!);
        }
      });
      npmStart.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${startOutput}`)));
    });

    // One shell for every block, as one terminal; each block's output (stdout and stderr, as a
    // person sees it) ends with a marker line.
    const script = [
      'set -euo pipefail',
      'exec 2>&1',
      ...blocks.filter((block) => block.run).map((block) => `${block.code.replaceAll(README_ORIGIN, url)}\nprintf '\\n${BLOCK_END}\\n'`),
    ].join('\n');
    const port = new URL(url).port;
    const shellEnv: NodeJS.ProcessEnv = { ...env, PORT: port };
    delete shellEnv.BATCHDATA_BASE_URL;
    delete shellEnv.BATCHDATA_TOKEN;
    let stdout: string;
    try {
      stdout = execFileSync('bash', ['-c', script], { cwd: PACKAGE_ROOT, env: shellEnv, encoding: 'utf8', timeout: 180_000 });
    } catch (error) {
      throw new Error(`README's blocks failed: ${(error as { stdout?: string }).stdout ?? ''}${String(error)}`);
    }
    outputs = stdout.replaceAll(url, README_ORIGIN).split(`${BLOCK_END}\n`);
  }, 300_000);

  afterAll(async () => {
    if (npmStart?.exitCode === null) {
      npmStart.kill('SIGKILL');
      await once(npmStart, 'exit');
    }
    rmSync(join(PACKAGE_ROOT, 'data', 'my-properties.csv'), { force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('are found, and the ones not run say why', () => {
    expect(blocks.filter((block) => block.run).length).toBeGreaterThanOrEqual(4);
    expect(blocks.filter((block) => !block.run).length).toBeGreaterThanOrEqual(3);
  });

  it('all parse as shell', () => {
    for (const block of blocks) {
      expect(() => execFileSync('bash', ['-n'], { input: block.code }), `README line ${block.line}`).not.toThrow();
    }
  });

  it('print what README shows under them', () => {
    const run = blocks.filter((block) => block.run);
    expect(outputs).toHaveLength(run.length + 1);
    run.forEach((block, i) => {
      if (block.expected === undefined) return;
      expect(normalise(outputs[i]!), `the output of README line ${block.line}`).toBe(normalise(block.expected));
    });
  });

  it('ran against a start with no third-party banner, whose log names the docs page', () => {
    expect(startOutput).not.toMatch(/end-of-life|Redoc|Deprecation warning/i);
    expect(startOutput).toContain(`"docs":"${url}/docs"`);
  });

  it('stop with the server when SIGTERM goes to npm start, as a process manager sends it', async () => {
    const stopped = once(npmStart, 'exit');
    npmStart.kill('SIGTERM');
    await stopped;
    expect(startOutput).toContain('"msg":"server stopped"');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
