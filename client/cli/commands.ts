// Runs one parsed command on the SDK and returns what to print: the API's `results` as JSON for
// scripts, or tables and sentences for people.
import type { BatchDataClient } from '../client.js';
import type { SearchRequest, SearchSession, Property, SearchPropertiesResponse } from '../types.js';
import type { CliCommand } from './args.js';

type ApiCommand = Exclude<CliCommand, { name: 'help' }>;

const asJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

async function listSessions(client: BatchDataClient, { skip, take }: { skip?: number; take?: number }) {
  // Either paging option asks for that one page; neither asks for every session.
  if (skip !== undefined || take !== undefined) {
    const { sessions, total } = (await client.listSearchSessions({ skip, take })).results;
    return { sessions, total };
  }
  const sessions: SearchSession[] = [];
  for await (const session of client.allSearchSessions()) sessions.push(session);
  return { sessions, total: sessions.length };
}

export async function execute(command: ApiCommand, client: BatchDataClient): Promise<string> {
  switch (command.name) {
    case 'sessions list': {
      const { sessions, total } = await listSessions(client, command);
      return command.json ? asJson({ sessions, total }) : renderSessions(sessions, total);
    }
    case 'sessions delete': {
      const { results } = await client.deleteSearchSession(command.searchSessionId);
      return command.json ? asJson(results) : renderDeleted(results.id);
    }
    case 'search': {
      const cursor = command.cursor ? { useCursorPagination: true, pageCursor: command.pageCursor } : {};
      const options = { take: command.take, skip: command.skip, searchSession: command.session, ...cursor };
      // Pairs the API refuses (--skip with --session or --cursor, --session with --cursor) may arrive
      // here; the SDK refuses them in the server's words.
      const body = { searchCriteria: { query: command.query }, options } as SearchRequest;
      const page = await client.searchProperties(body, { idempotencyKey: command.idempotencyKey });
      return command.json ? asJson(page.results) : renderSearch(page);
    }
  }
}

// What each command prints for a person. --json bypasses all of this and prints the API's results.
const count = new Intl.NumberFormat('en-US');
const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

const SESSION_COLUMNS: Column<SearchSession>[] = [
  { header: 'ID', cell: (session) => session.id },
  { header: 'DELIVERED', cell: (session) => count.format(session.totalDelivered), numeric: true },
  { header: 'CREATED', cell: (session) => session.createdAt },
  { header: 'LAST REQUEST', cell: (session) => session.lastRequestAt ?? '-' },
];

const PROPERTY_COLUMNS: Column<Property>[] = [
  { header: 'ID', cell: (property) => String(property.id), numeric: true },
  { header: 'ADDRESS', cell: ({ address }) => `${address.street}, ${address.city}, ${address.state} ${address.zip}` },
  { header: 'BEDS', cell: (property) => String(property.bedrooms), numeric: true },
  { header: 'BATHS', cell: (property) => String(property.bathrooms), numeric: true },
  { header: 'BUILT', cell: (property) => String(property.yearBuilt), numeric: true },
  { header: 'VALUE', cell: (property) => dollars.format(property.estimatedValue), numeric: true },
];

const plural = (n: number, one: string, many: string) => `${count.format(n)} ${n === 1 ? one : many}`;

export function renderSessions(sessions: readonly SearchSession[], total: number): string {
  if (total === 0) return 'No search sessions.\n';
  const summary =
    sessions.length === total ? `${plural(total, 'session', 'sessions')}.` : `${count.format(sessions.length)} of ${plural(total, 'session', 'sessions')}.`;
  return (sessions.length === 0 ? '' : renderTable(SESSION_COLUMNS, sessions)) + summary + '\n';
}

export function renderDeleted(id: string): string {
  return `Deleted search session ${id}.\n`;
}

function sessionSummary({ id, isNewSession, totalDelivered, delivered }: NonNullable<SearchPropertiesResponse['results']['meta']['searchSession']>): string {
  if (delivered === 0) return `Session ${id} has nothing new to deliver: it has delivered all ${plural(totalDelivered, 'match', 'matches')}.`;
  const created = isNewSession ? ' (created by this request)' : '';
  return `Session ${id}${created}: ${plural(delivered, 'property', 'properties')} delivered now, ${count.format(totalDelivered)} before.`;
}

export function renderSearch({ results }: SearchPropertiesResponse): string {
  const { properties, meta } = results;
  const table = properties.length === 0 ? '' : renderTable(PROPERTY_COLUMNS, properties);
  const found = `${count.format(meta.results.resultCount)} of ${plural(meta.results.resultsFound, 'match', 'matches')}.`;
  const next = results.nextPageCursor === undefined ? '' : `\nNext page: --page-cursor ${results.nextPageCursor}`;
  return table + (meta.searchSession ? `${sessionSummary(meta.searchSession)} ${found}` : found) + next + '\n';
}

// Columns for people: headers in capitals, numbers right-aligned so their digits line up.
export interface Column<Row> {
  header: string;
  cell: (row: Row) => string;
  numeric?: boolean;
}

export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const cells = rows.map((row) => columns.map((column) => column.cell(row)));
  const widths = columns.map(({ header }, i) => Math.max(header.length, ...cells.map((line) => line[i]!.length)));
  const format = (line: readonly string[]) =>
    line
      .map((text, i) => (columns[i]!.numeric ? text.padStart(widths[i]!) : text.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [format(columns.map(({ header }) => header)), ...cells.map(format)].join('\n') + '\n';
}
