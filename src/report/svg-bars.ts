import { truncateLeft, truncateRight } from './format.js';
import { attrs, niceTicks, svgFrame, text, tip } from './svg-kit.js';

export interface BarSegment {
  value: number;
  /** CSS class that picks the colour, e.g. `seg-response`. */
  className: string;
  tooltip: string;
}

export interface BarRow {
  label: string;
  segments: BarSegment[];
  /** Text right of the bar, e.g. "1.2M · 12.3%". */
  valueLabel: string;
  /** Optional reference value drawn as a tick across the bar (e.g. the Hermes 3 share). */
  marker?: { value: number; tooltip: string };
}

export interface LegendItem {
  className: string;
  label: string;
  /** `marker` draws a tick like BarRow.marker instead of a swatch. */
  kind?: 'swatch' | 'marker';
}

const width = 760;
const labelWidth = 210;
const valueWidth = 130;
const rowHeight = 28;
const barHeight = 18;
const top = 34;
const bottom = 46;

/**
 * Horizontal (optionally stacked) bars on a shared linear axis starting at 0. Bar lengths are exactly
 * proportional to values: length = value / axisMax * plotWidth, which the browser test checks.
 */
export function horizontalBarsSvg(options: {
  id: string;
  title: string;
  axisLabel: string;
  rows: BarRow[];
  legend: LegendItem[];
  formatTick: (n: number) => string;
  /** Where long labels lose characters: file paths keep their end (`left`), names their start. */
  truncate?: 'left' | 'right';
}): string {
  const { id, title, axisLabel, rows, legend, formatTick } = options;
  const shorten = options.truncate === 'left' ? truncateLeft : truncateRight;
  const plotWidth = width - labelWidth - valueWidth;
  const largest = Math.max(0, ...rows.map((r) => Math.max(sum(r.segments), r.marker?.value ?? 0)));
  const ticks = niceTicks({ max: largest });
  const axisMax = ticks[ticks.length - 1];
  const scale = (v: number) => (v / axisMax) * plotWidth;
  const plotHeight = Math.max(1, rows.length) * rowHeight;
  const height = top + plotHeight + bottom;
  const parts: string[] = [legendSvg({ items: legend, x: labelWidth, y: 14 })];

  for (const t of ticks) {
    const x = labelWidth + scale(t);
    parts.push(`<line${attrs({ class: 'grid', x1: x, x2: x, y1: top, y2: top + plotHeight })}/>`);
    parts.push(text({ x, y: top + plotHeight + 16, content: formatTick(t), className: 'tick', anchor: 'middle' }));
  }
  parts.push(text({ x: labelWidth + plotWidth / 2, y: height - 8, content: axisLabel, className: 'axis-label', anchor: 'middle' }));

  rows.forEach((row, i) => {
    const y = top + i * rowHeight + (rowHeight - barHeight) / 2;
    const mid = y + barHeight / 2 + 4;
    parts.push(text({ x: labelWidth - 8, y: mid, content: shorten(row.label, 27), full: row.label, className: 'bar-label', anchor: 'end' }));
    let x = labelWidth;
    for (const seg of row.segments) {
      const w = scale(seg.value);
      parts.push(`<rect${attrs({ class: `bar ${seg.className}`, x, y, width: w, height: barHeight, 'data-value': seg.value })}>${tip(seg.tooltip)}</rect>`);
      x += w;
    }
    if (row.marker) {
      const mx = labelWidth + scale(row.marker.value);
      parts.push(`<line${attrs({ class: 'ref-mark', x1: mx, x2: mx, y1: y - 3, y2: y + barHeight + 3, 'data-value': row.marker.value })}>${tip(row.marker.tooltip)}</line>`);
    }
    parts.push(text({ x: width - valueWidth + 8, y: mid, content: row.valueLabel, className: 'value-label' }));
  });
  if (rows.length === 0) parts.push(text({ x: labelWidth + plotWidth / 2, y: top + rowHeight / 2 + 4, content: 'no data', className: 'empty', anchor: 'middle' }));
  parts.push(`<line${attrs({ class: 'axis', x1: labelWidth, x2: labelWidth, y1: top, y2: top + plotHeight })}/>`);
  return svgFrame({ id, width, height, label: title, body: parts.join('') });
}

/** A row of swatches (or tick markers) with labels. */
export function legendSvg(options: { items: LegendItem[]; x: number; y: number }): string {
  let x = options.x;
  const y = options.y;
  return options.items
    .map((item) => {
      const mark =
        item.kind === 'marker'
          ? `<line${attrs({ class: item.className, x1: x + 6, x2: x + 6, y1: y - 8, y2: y + 6 })}/>`
          : `<rect${attrs({ class: `swatch ${item.className}`, x, y: y - 8, width: 12, height: 12, rx: 2 })}/>`;
      const label = text({ x: x + 18, y: y + 2, content: item.label, className: 'legend' });
      x += 18 + item.label.length * 7 + 22;
      return `<g class="legend-item">${mark}${label}</g>`;
    })
    .join('');
}

function sum(segments: BarSegment[]): number {
  return segments.reduce((s, seg) => s + seg.value, 0);
}
