import type { Audit } from '../../schemas/audit.js';
import { binLabel } from './audit-rows.js';
import { formatCompact, formatInt } from './format.js';
import { legendSvg } from './svg-bars.js';
import { attrs, niceTicks, svgFrame, text, tip } from './svg-kit.js';

const width = 760;
const left = 64;
const right = 20;
const top = 34;
const plotHeight = 240;

/**
 * Records per length bin as vertical bars in equal-width slots (bins may be uneven, e.g. an open last bin),
 * with a vertical line where records start exceeding maxLength. The line is placed inside its bin by
 * linear interpolation, so it sits between the last fitting length and the first one over.
 */
export function histogramSvg(options: { id: string; title: string; bins: Audit['length_histogram']; maxLength: number }): string {
  const { id, title, bins, maxLength } = options;
  const plotWidth = width - left - right;
  const slot = plotWidth / Math.max(1, bins.length);
  const rotate = bins.length > 8;
  const bottom = rotate ? 92 : 52;
  const height = top + plotHeight + bottom;
  const ticks = niceTicks({ max: Math.max(0, ...bins.map((b) => b.records)), count: 4 });
  const yMax = ticks[ticks.length - 1];
  const yOf = (v: number) => top + plotHeight - (v / yMax) * plotHeight;
  const parts: string[] = [
    legendSvg({
      items: [
        { className: 'seg-fits', label: `≤ ${formatInt(maxLength)} tokens` },
        { className: 'seg-over', label: 'over max length' },
        { className: 'max-line', label: 'max length', kind: 'marker' },
      ],
      x: left,
      y: 14,
    }),
  ];

  for (const t of ticks) {
    parts.push(`<line${attrs({ class: 'grid', x1: left, x2: left + plotWidth, y1: yOf(t), y2: yOf(t) })}/>`);
    parts.push(text({ x: left - 6, y: yOf(t) + 4, content: formatCompact(t), className: 'tick', anchor: 'end' }));
  }
  bins.forEach((bin, i) => {
    const x = left + i * slot;
    const y = yOf(bin.records);
    const label = binLabel(bin, (n) => (n < 100_000 ? formatInt(n) : formatCompact(n)));
    const cls = bin.min > maxLength ? 'seg-over' : 'seg-fits';
    const tooltip = `${binLabel(bin, formatInt)} tokens: ${formatInt(bin.records)} records`;
    parts.push(`<rect${attrs({ class: `bar ${cls}`, x: x + slot * 0.1, y, width: slot * 0.8, height: top + plotHeight - y, 'data-value': bin.records })}>${tip(tooltip)}</rect>`);
    const lx = x + slot / 2;
    const ly = top + plotHeight + 14;
    parts.push(
      rotate
        ? text({ x: lx, y: ly, content: label, className: 'tick', anchor: 'end', transform: `rotate(-40 ${lx} ${ly})` })
        : text({ x: lx, y: ly, content: label, className: 'tick', anchor: 'middle' }),
    );
  });

  const lineX = maxLengthX({ bins, maxLength, left, slot });
  parts.push(`<line${attrs({ class: 'max-line', x1: lineX, x2: lineX, y1: top - 4, y2: top + plotHeight })}/>`);
  const anchorEnd = lineX > left + plotWidth * 0.75;
  parts.push(text({ x: lineX + (anchorEnd ? -6 : 6), y: top + 10, content: `max length ${formatInt(maxLength)}`, className: 'max-label', anchor: anchorEnd ? 'end' : 'start' }));
  parts.push(`<line${attrs({ class: 'axis', x1: left, x2: left + plotWidth, y1: top + plotHeight, y2: top + plotHeight })}/>`);
  parts.push(text({ x: left + plotWidth / 2, y: height - 8, content: 'tokens per record', className: 'axis-label', anchor: 'middle' }));
  parts.push(text({ x: 14, y: top + plotHeight / 2, content: 'records', className: 'axis-label', anchor: 'middle', transform: `rotate(-90 14 ${top + plotHeight / 2})` }));
  if (bins.length === 0) parts.push(text({ x: left + plotWidth / 2, y: top + plotHeight / 2, content: 'no data', className: 'empty', anchor: 'middle' }));
  return svgFrame({ id, width, height, label: title, body: parts.join('') });
}

/** x of the boundary between `maxLength` (fits) and `maxLength + 1` (over). */
export function maxLengthX(options: { bins: Audit['length_histogram']; maxLength: number; left: number; slot: number }): number {
  const { bins, maxLength, left, slot } = options;
  const edge = maxLength + 1;
  for (let i = 0; i < bins.length; i++) {
    const b = bins[i];
    if (edge <= b.min) return left + i * slot;
    if (edge <= b.max) return left + i * slot + ((edge - b.min) / (b.max - b.min + 1)) * slot;
  }
  return left + bins.length * slot;
}
