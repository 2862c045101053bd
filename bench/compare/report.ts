// The comparison's results as a person and a program read them: a Markdown table, the JSON behind
// it, and an SVG bar chart of the ratios, written side by side into bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Row {
  name: string;
  /** Throughput, or the figure this row is about. */
  value: number;
  unit: string;
  /** value ÷ the baseline's value in this run. */
  ratio: number;
  p50?: number;
  p99?: number;
  p99Ratio?: number;
}

export interface Target {
  what: string;
  limit: string;
  measured: number;
  met: boolean;
}

export interface Report {
  title: string;
  machine: string;
  settings: Record<string, string | number | boolean>;
  sections: Array<{ heading: string; baseline: string; rows: Row[] }>;
  targets: Target[];
}

const fixed = (n: number | undefined, digits = 2) => (n === undefined ? '' : n.toFixed(digits));

export function toMarkdown(report: Report): string {
  const lines = [`# ${report.title}`, '', `Machine: ${report.machine}. Settings: ${Object.entries(report.settings).map(([k, v]) => `${k}=${v}`).join(', ')}.`, ''];
  for (const section of report.sections) {
    lines.push(`## ${section.heading}`, '', `Baseline: ${section.baseline}.`, '', '| | value | ratio | p50 ms | p99 ms | p99 ratio |', '| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const row of section.rows) {
      lines.push(`| ${row.name} | ${fixed(row.value, row.unit === 'req/s' ? 0 : 2)} ${row.unit} | ×${fixed(row.ratio)} | ${fixed(row.p50)} | ${fixed(row.p99)} | ${row.p99Ratio === undefined ? '' : `×${fixed(row.p99Ratio)}`} |`);
    }
    lines.push('');
  }
  lines.push('## Targets', '', '| target | limit | measured | met |', '| --- | --- | ---: | --- |');
  for (const target of report.targets) lines.push(`| ${target.what} | ${target.limit} | ×${fixed(target.measured)} | ${target.met ? 'yes' : '**no**'} |`);
  return `${lines.join('\n')}\n`;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Horizontal bars, one per row of every section, scaled to the largest ratio, with a ×1 line. */
export function toSvg(report: Report): string {
  const bars = report.sections.flatMap((section) => section.rows.map((row) => ({ label: `${section.heading}: ${row.name}`, ratio: row.ratio })));
  const width = 900;
  const labelWidth = 470;
  const barArea = width - labelWidth - 80;
  const rowHeight = 26;
  const top = 50;
  const height = top + bars.length * rowHeight + 30;
  const max = Math.max(1, ...bars.map((bar) => bar.ratio));
  const x = (ratio: number) => labelWidth + (ratio / max) * barArea;
  const rows = bars.map((bar, i) => {
    const y = top + i * rowHeight;
    return [
      `<text x="${labelWidth - 10}" y="${y + 17}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 4}" width="${Math.max(1, x(bar.ratio) - labelWidth).toFixed(1)}" height="${rowHeight - 8}" fill="#4a7bd0"/>`,
      `<text x="${(x(bar.ratio) + 6).toFixed(1)}" y="${y + 17}">×${bar.ratio.toFixed(2)}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="20" y="28" font-size="16" font-weight="bold">${escapeXml(report.title)} — ratios to each section's baseline</text>`,
    ...rows,
    `<line x1="${x(1).toFixed(1)}" y1="${top - 6}" x2="${x(1).toFixed(1)}" y2="${height - 24}" stroke="#c33" stroke-dasharray="4 3"/>`,
    `<text x="${x(1).toFixed(1)}" y="${height - 8}" text-anchor="middle" fill="#c33">×1</text>`,
    '</svg>',
  ].join('\n');
}

export function writeReport(report: Report, dir: string): { markdown: string; json: string; svg: string } {
  mkdirSync(dir, { recursive: true });
  const files = { markdown: join(dir, 'latest.md'), json: join(dir, 'latest.json'), svg: join(dir, 'latest.svg') };
  writeFileSync(files.markdown, toMarkdown(report));
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(files.svg, toSvg(report));
  return files;
}
