import { escapeHtml } from './format.js';

/**
 * Tiny helpers to write SVG by hand. Every piece of text passes through escapeHtml here, so chart
 * code cannot forget it: `text()` and `tip()` are the only ways text enters a chart.
 */

/** Attributes -> ` a="1" b="x"`; values are escaped, undefined ones skipped. */
export function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeHtml(typeof v === 'number' ? round(v) : String(v))}"`)
    .join('');
}

/** Coordinates with 2 decimals: enough for pixels, keeps the file small. */
export function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** A <text> element with escaped content and an optional full-text tooltip. */
export function text(options: { x: number; y: number; content: string; className?: string; anchor?: 'start' | 'middle' | 'end'; full?: string; transform?: string }): string {
  const { x, y, content, className, anchor, full, transform } = options;
  const tooltip = full !== undefined && full !== content ? tip(full) : '';
  return `<text${attrs({ x, y, class: className, 'text-anchor': anchor, transform })}>${tooltip}${escapeHtml(content)}</text>`;
}

/** A native tooltip (<title>) for the parent element. */
export function tip(content: string): string {
  return `<title>${escapeHtml(content)}</title>`;
}

/** The outer <svg> with an accessible name; scales to the container width, keeps its aspect ratio. */
export function svgFrame(options: { width: number; height: number; label: string; body: string; id: string }): string {
  const { width, height, label, body, id } = options;
  return (
    `<svg${attrs({ id, class: 'chart', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label, xmlns: 'http://www.w3.org/2000/svg' })}>` +
    `${tip(label)}${body}</svg>`
  );
}

/** 1, 2, 2.5 or 5 times a power of ten, so an axis reads 0, 250K, 500K… rather than 0, 237K, 474K. */
export function niceTicks(options: { max: number; count?: number }): number[] {
  const { max } = options;
  const count = options.count ?? 5;
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 1e-9; v += step) ticks.push(Math.round(v / step) * step);
  if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}
