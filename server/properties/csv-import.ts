// Reads a user's properties from CSV as a stream of validated batches. The first bad row stops the
// stream with its line number; the store's import is all-or-nothing, so nothing of the file lands.
import { createReadStream, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import type { NewProperty } from '../store/store.js';

export const CSV_COLUMNS = ['street', 'city', 'state', 'zip', 'bedrooms', 'bathrooms', 'yearBuilt', 'estimatedValue'] as const;
type Column = (typeof CSV_COLUMNS)[number];

export class CsvImportError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export interface CsvProgress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
}

function text(row: Record<Column, string>, column: Column, maxLength: number): string {
  const value = row[column];
  if (!value) throw new Error(`${column} is empty`);
  if (value.length > maxLength) throw new Error(`${column} is longer than ${maxLength} characters`);
  return value;
}

function number(row: Record<Column, string>, column: Column, { min, max, integer }: { min: number; max: number; integer: boolean }): number {
  const raw = row[column];
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw new Error(`${column} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max} (got ${JSON.stringify(raw)})`);
  }
  return value;
}

export function toNewProperty(row: Record<Column, string>): NewProperty {
  const state = text(row, 'state', 2).toUpperCase();
  if (!/^[A-Z]{2}$/.test(state)) throw new Error(`state must be two letters (got ${JSON.stringify(row.state)})`);
  const zip = text(row, 'zip', 5);
  if (!/^\d{5}$/.test(zip)) throw new Error(`zip must be five digits (got ${JSON.stringify(row.zip)})`);
  return {
    address: { street: text(row, 'street', 200), city: text(row, 'city', 100), state, zip },
    bedrooms: number(row, 'bedrooms', { min: 0, max: 100, integer: true }),
    bathrooms: number(row, 'bathrooms', { min: 0, max: 100, integer: false }),
    yearBuilt: number(row, 'yearBuilt', { min: 1600, max: new Date().getUTCFullYear() + 1, integer: true }),
    estimatedValue: number(row, 'estimatedValue', { min: 0, max: 10_000_000_000, integer: true }),
  };
}

function checkHeader(header: string[]): string[] {
  const missing = CSV_COLUMNS.filter((column) => !header.includes(column));
  const unknown = header.filter((column) => !(CSV_COLUMNS as readonly string[]).includes(column));
  if (missing.length || unknown.length) {
    const problems = [missing.length ? `missing ${missing.join(', ')}` : '', unknown.length ? `unknown ${unknown.join(', ')}` : ''].filter(Boolean);
    throw new CsvImportError(1, `the header must name the columns ${CSV_COLUMNS.join(',')} (${problems.join('; ')})`);
  }
  return header;
}

/** Validated properties from a CSV file with a header row, in batches, in file order. */
export async function* readPropertiesCsv(
  path: string,
  { batchSize = 5_000, onProgress }: { batchSize?: number; onProgress?: (progress: CsvProgress) => void } = {},
): AsyncGenerator<NewProperty[]> {
  const totalBytes = statSync(path).size;
  const file = createReadStream(path);
  let bytesRead = 0;
  file.on('data', (chunk) => (bytesRead += chunk.length));
  const parser = file.pipe(parse({ columns: checkHeader, bom: true, trim: true, skip_empty_lines: true, info: true }));
  let batch: NewProperty[] = [];
  let rows = 0;
  let lastLine = 1; // the header
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<Column, string>; info: { lines: number } }>) {
      try {
        batch.push(toNewProperty(record));
      } catch (error) {
        throw new CsvImportError(info.lines, (error as Error).message);
      }
      rows++;
      lastLine = info.lines;
      if (batch.length === batchSize) {
        onProgress?.({ bytesRead, totalBytes, rows });
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (error instanceof CsvImportError) throw error;
    // csv-parse's own errors know their line, except an unclosed quote, reported where the file
    // ended: that record starts on the line after the last good one.
    const { code, lines } = error as { code?: string; lines?: number };
    if (code === 'CSV_QUOTE_NOT_CLOSED') throw new CsvImportError(lastLine + 1, 'a quoted field is never closed');
    throw lines ? new CsvImportError(lines, (error as Error).message.replace(/^.*?:\s*/, '')) : error;
  } finally {
    file.destroy();
  }
  if (batch.length) yield batch;
  onProgress?.({ bytesRead: totalBytes, totalBytes, rows });
}
