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
  sections: Array<{
    heading: string;
    baseline: string;
    rows: Row[];
    /** Lines printed under the table. */
    notes?: string[];
  }>;
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
    if (section.notes) lines.push(...section.notes, '');
  }
  lines.push('## Targets', '', '| target | limit | measured | met |', '| --- | --- | ---: | --- |');
  for (const target of report.targets) lines.push(`| ${target.what} | ${target.limit} | ×${fixed(target.measured)} | ${target.met ? 'yes' : '**no**'} |`);
  return `${lines.join('\n')}\n`;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * One panel per section, each on its own scale (a start-up time ×20 must not flatten throughput
 * bars), then the targets, each bar against its limit. Bars are ratios to the section's baseline.
 */
export function toSvg(report: Report): string {
  const width = 980;
  const labelWidth = 430;
  const barArea = width - labelWidth - 110;
  const rowHeight = 24;
  const panels = [
    ...report.sections.map((section) => ({
      heading: `${section.heading} (ratio to ${section.baseline})`,
      bars: section.rows.map((row) => ({ label: row.name, ratio: row.ratio, mark: 1, met: undefined as boolean | undefined })),
    })),
    {
      heading: 'Targets (dashed line: the limit)',
      bars: report.targets.map((t) => ({ label: t.what, ratio: t.measured, mark: Number(t.limit.replace(/[^\d.]/g, '')), met: t.met as boolean | undefined })),
    },
  ];
  const parts: string[] = [];
  let y = 50;
  for (const panel of panels) {
    const max = Math.max(...panel.bars.map((bar) => Math.max(bar.ratio, bar.mark))) * 1.05;
    const x = (ratio: number) => labelWidth + (ratio / max) * barArea;
    parts.push(`<text x="20" y="${y}" font-weight="bold">${escapeXml(panel.heading)}</text>`);
    y += 10;
    for (const bar of panel.bars) {
      const colour = bar.met === undefined ? '#4a7bd0' : bar.met ? '#3a9a5a' : '#c44';
      parts.push(
        `<text x="${labelWidth - 10}" y="${y + 16}" text-anchor="end">${escapeXml(bar.label)}</text>`,
        `<rect x="${labelWidth}" y="${y + 4}" width="${Math.max(1, x(bar.ratio) - labelWidth).toFixed(1)}" height="${rowHeight - 8}" fill="${colour}"/>`,
        `<line x1="${x(bar.mark).toFixed(1)}" y1="${y + 1}" x2="${x(bar.mark).toFixed(1)}" y2="${y + rowHeight - 1}" stroke="#333" stroke-dasharray="3 2"/>`,
        `<text x="${(x(bar.ratio) + 6).toFixed(1)}" y="${y + 16}">×${bar.ratio.toFixed(2)}</text>`,
      );
      y += rowHeight;
    }
    y += 26;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" font-family="sans-serif" font-size="13">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="20" y="26" font-size="16" font-weight="bold">${escapeXml(report.title)} — ${escapeXml(report.machine)}</text>`,
    ...parts,
    '</svg>',
  ].join('\n');
}

/** Writes `${name}.md`, `${name}.json` and `${name}.svg` into `dir`: each benchmark under its own name. */
export function writeReport(report: Report, dir: string, name = 'latest'): { markdown: string; json: string; svg: string } {
  mkdirSync(dir, { recursive: true });
  const files = { markdown: join(dir, `${name}.md`), json: join(dir, `${name}.json`), svg: join(dir, `${name}.svg`) };
  writeFileSync(files.markdown, toMarkdown(report));
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(files.svg, toSvg(report));
  return files;
}
