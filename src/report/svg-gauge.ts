import { formatPercent } from './format.js';
import { attrs, svgFrame, text, tip } from './svg-kit.js';

const width = 760;
const left = 20;
const right = 20;
const barTop = 44;
const barHeight = 26;
const height = 120;

/**
 * A bullet bar from 0% to 100%: the track, a band of ±5 points around the target, the actual response
 * share as a filled bar and the target as a dark tick. Green-ish when inside the band, amber otherwise.
 */
export function responseGaugeSvg(options: { id: string; title: string; actual: number; target: number }): string {
  const { id, title, actual, target } = options;
  const plotWidth = width - left - right;
  const x = (share: number) => left + Math.min(1, Math.max(0, share)) * plotWidth;
  const near = Math.abs(actual - target) <= 0.05;
  const parts: string[] = [
    `<rect${attrs({ class: 'track', x: left, y: barTop, width: plotWidth, height: barHeight, rx: 3 })}/>`,
    `<rect${attrs({ class: 'band', x: x(target - 0.05), y: barTop, width: x(target + 0.05) - x(target - 0.05), height: barHeight })}>${tip('target ± 5 points')}</rect>`,
    `<rect${attrs({ class: `bar gauge-fill ${near ? 'on-target' : 'off-target'}`, x: left, y: barTop + 6, width: x(actual) - left, height: barHeight - 12, 'data-value': actual })}>${tip(`actual response share ${formatPercent(actual)}`)}</rect>`,
    `<line${attrs({ class: 'target-mark', x1: x(target), x2: x(target), y1: barTop - 6, y2: barTop + barHeight + 6, 'data-value': target })}>${tip(`target ${formatPercent(target)}`)}</line>`,
    text({ x: x(target), y: barTop - 12, content: `target ${formatPercent(target)}`, className: 'mark-label', anchor: 'middle' }),
    text({ x: x(actual), y: barTop + barHeight + 22, content: `actual ${formatPercent(actual)}`, className: 'mark-label strong', anchor: actual > 0.9 ? 'end' : actual < 0.1 ? 'start' : 'middle' }),
  ];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(text({ x: x(t), y: height - 6, content: formatPercent(t, 0), className: 'tick', anchor: t === 0 ? 'start' : t === 1 ? 'end' : 'middle' }));
  }
  return svgFrame({ id, width, height, label: title, body: parts.join('') });
}
