// What each command prints for a person. --json bypasses all of this and prints the API's results.
import type { Property, SearchPropertiesResponse, SearchSession } from '../types.js';
import { renderTable, type Column } from './table.js';

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
