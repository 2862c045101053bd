// Does a page by cursor cost the same at the end of a long walk as at its start, and what does deep
// skip/take cost on the same result? A store where 1,000,000 properties match `TX`, our compiled
// server in its own process (production settings), take=500 throughout:
//   1. the whole walk by cursor, timed page by page (2,000 pages), every match delivered once;
//   2. the walk's first and last pages again, from the cursors it handed out (a cursor is the
//      whole state of a walk, so it can be asked for again), interleaved first/last, round after
//      round, so the machine's drift falls on both alike: last ÷ first;
//   3. the same result by skip/take: pages at the start against pages as deep as the walk's last,
//      interleaved the same way (each page asked once, so none comes from the plain-page cache).
// Results: bench/results/cursor.{md,json,svg}.
//
//   npm run bench:cursor [-- --matches 1000000 --rounds 5]
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../server/spec.js';
import { writeReport, type Report } from './compare/report.js';
import { importMostlyTexas } from './measure/session-page.js';
import { benchSetup, median, settleStore, spawnServerUnderLoad } from './support.js';

const { values } = parseArgs({ options: { matches: { type: 'string', default: '1000000' }, rounds: { type: 'string', default: '5' } } });
const MATCHES = Number(values.matches);
const ROUNDS = Number(values.rounds);
const TAKE = 500;
/** Pages timed at each end of the walk, per round. */
const END_PAGES = 20;

const bench = await benchSetup(['property-search']);
// Seven in ten are in Texas.
console.log(`Preparing: ${Math.ceil(MATCHES / 0.7).toLocaleString('en-US')} properties…`);
await importMostlyTexas(bench.store, Math.ceil(MATCHES / 0.7));
settleStore(bench.dbPath);
const server = await spawnServerUnderLoad(bench.dbPath);

interface Page {
  ms: number;
  ids: number[];
  resultsFound: number;
  nextPageCursor?: string;
}

async function page(options: Record<string, unknown>): Promise<Page> {
  const started = process.hrtime.bigint();
  const response = await fetch(`${server.url}/api/v1/property/search`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${bench.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ searchCriteria: { query: 'TX' }, options: { take: TAKE, ...options } }),
  });
  const body = (await response.json()) as { results: { properties: Array<{ id: number }>; nextPageCursor?: string; meta: { results: { resultsFound: number } } } };
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.status !== 200) throw new Error(`${response.status}: ${JSON.stringify(body)}`);
  const { properties, nextPageCursor, meta } = body.results;
  return { ms, ids: properties.map((p) => p.id), resultsFound: meta.results.resultsFound, ...(nextPageCursor ? { nextPageCursor } : {}) };
}

try {
  // 1. The whole walk. cursors[i] asks for page i.
  const cursors: Array<string | undefined> = [undefined];
  const walkMs: number[] = [];
  let delivered = 0;
  let lastId = 0;
  let resultsFound = 0;
  for (let at = 0; ; at++) {
    const current = await page({ useCursorPagination: true, ...(cursors[at] ? { pageCursor: cursors[at] } : {}) });
    walkMs.push(current.ms);
    if (current.ids.some((id) => id <= lastId)) throw new Error(`page ${at} went back: a match would be delivered twice`);
    lastId = current.ids.at(-1) ?? lastId;
    delivered += current.ids.length;
    resultsFound = current.resultsFound;
    if (!current.nextPageCursor) break;
    cursors.push(current.nextPageCursor);
  }
  if (delivered !== resultsFound) throw new Error(`the walk delivered ${delivered} of ${resultsFound} matches`);
  const pages = cursors.length;
  console.log(`Walked ${delivered.toLocaleString('en-US')} matches in ${pages} pages of ${TAKE}; whole walk ${(walkMs.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s.`);

  // 2 and 3. Each end of the walk, by cursor and by skip, interleaved.
  const first: number[] = [];
  const last: number[] = [];
  const shallow: number[] = [];
  const deep: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < END_PAGES; i++) {
      const early = i;
      const late = pages - END_PAGES + i;
      first.push((await page({ useCursorPagination: true, ...(cursors[early] ? { pageCursor: cursors[early] } : {}) })).ms);
      last.push((await page({ useCursorPagination: true, pageCursor: cursors[late] })).ms);
      // A page asked for once per run: offsets shift by a round's worth so the cache never answers.
      const offset = (round * END_PAGES + i) * 7;
      shallow.push((await page({ skip: early * TAKE + offset })).ms);
      deep.push((await page({ skip: late * TAKE - offset })).ms);
    }
  }
  const ofFirst = median(last) / median(first);
  const ofShallow = median(deep) / median(shallow);
  const rows = (baseline: number[], samples: number[], name: string, baseName: string) => [
    { name: baseName, value: median(baseline), unit: 'ms', ratio: 1 },
    { name, value: median(samples), unit: 'ms', ratio: median(samples) / median(baseline) },
  ];
  const report: Report = {
    title: 'Paging a million matches: by cursor, and by skip',
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node.js ${process.version}`,
    settings: { matches: resultsFound, take: TAKE, pages, rounds: ROUNDS, endPages: END_PAGES },
    sections: [
      {
        heading: `By cursor: the walk's last ${END_PAGES} pages against its first ${END_PAGES} (medians of ${ROUNDS} interleaved rounds)`,
        baseline: 'the first pages, in this run',
        rows: rows(first, last, `last ${END_PAGES} pages (matches ${((pages - END_PAGES) * TAKE).toLocaleString('en-US')} onwards)`, `first ${END_PAGES} pages`),
      },
      {
        heading: 'By skip/take, the same result: pages as deep as the walk\'s last against its first',
        baseline: 'the first pages, in this run',
        rows: rows(shallow, deep, `skip ≈ ${((pages - END_PAGES) * TAKE).toLocaleString('en-US')}`, 'skip ≈ 0'),
      },
      {
        heading: 'The two ways at depth',
        baseline: 'a cursor page at the same depth, in this run',
        rows: rows(last, deep, 'a deep skip page', 'a deep cursor page'),
      },
    ],
    targets: [{ what: 'by cursor, last page ÷ first page', limit: '<= 1.2', measured: ofFirst, met: ofFirst <= 1.2 }],
  };
  const files = writeReport(report, join(PACKAGE_ROOT, 'bench', 'results'), 'cursor');
  console.log(`By cursor, last ÷ first: ×${ofFirst.toFixed(2)}; by skip, deep ÷ shallow: ×${ofShallow.toFixed(2)}; deep skip ÷ deep cursor: ×${(median(deep) / median(last)).toFixed(2)}`);
  console.log(`Written: ${Object.values(files).join(', ')}`);
} finally {
  await bench.cleanUp(server);
}
