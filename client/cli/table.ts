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
