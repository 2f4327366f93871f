import type { TokenBucket } from '../../schemas/audit.js';

/**
 * A small self-contained SVG: one horizontal stacked bar per bucket (instruction tokens, then response tokens),
 * in two panels, by category and by source. Bars share one scale so panels compare.
 */
export interface MixtureChartOptions {
  byCategory: Record<string, TokenBucket>;
  bySource: Record<string, TokenBucket>;
}

const COLORS = { instruction: '#8da0cb', response: '#fc8d62' };
const ROW = 22;
const LABEL_W = 190;
const BAR_W = 420;
const WIDTH = LABEL_W + BAR_W + 110;

export const escapeXml = (s: string): string =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function panel(title: string, buckets: Record<string, TokenBucket>, top: number, max: number): { svg: string; height: number } {
  const entries = Object.entries(buckets).sort((a, b) => b[1].tokens - a[1].tokens || a[0].localeCompare(b[0]));
  const parts = [`<text x="0" y="${top + 14}" font-weight="bold">${escapeXml(title)}</text>`];
  entries.forEach(([name, b], i) => {
    const y = top + 24 + i * ROW;
    const wi = max ? (b.instruction_tokens / max) * BAR_W : 0;
    const wr = max ? (b.response_tokens / max) * BAR_W : 0;
    parts.push(
      `<text x="${LABEL_W - 6}" y="${y + 13}" text-anchor="end">${escapeXml(clip(name, 28))}</text>`,
      `<rect x="${LABEL_W}" y="${y}" width="${wi.toFixed(1)}" height="16" fill="${COLORS.instruction}"/>`,
      `<rect x="${(LABEL_W + wi).toFixed(1)}" y="${y}" width="${wr.toFixed(1)}" height="16" fill="${COLORS.response}"/>`,
      `<text x="${(LABEL_W + wi + wr + 6).toFixed(1)}" y="${y + 13}">${b.tokens.toLocaleString('en-US')}</text>`,
    );
  });
  if (entries.length === 0) parts.push(`<text x="${LABEL_W}" y="${top + 37}">(none)</text>`);
  return { svg: parts.join('\n'), height: 30 + Math.max(1, entries.length) * ROW };
}

export function renderMixtureSvg(opts: MixtureChartOptions): string {
  const all = [...Object.values(opts.byCategory), ...Object.values(opts.bySource)];
  const max = Math.max(0, ...all.map((b) => b.instruction_tokens + b.response_tokens));
  const legend =
    `<rect x="0" y="4" width="12" height="12" fill="${COLORS.instruction}"/><text x="18" y="15">instruction tokens</text>` +
    `<rect x="160" y="4" width="12" height="12" fill="${COLORS.response}"/><text x="178" y="15">response tokens</text>`;
  const cat = panel('By category', opts.byCategory, 28, max);
  const src = panel('By source', opts.bySource, 28 + cat.height + 10, max);
  const height = 28 + cat.height + 10 + src.height + 8;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}"`,
    ` font-family="sans-serif" font-size="12" role="img" aria-label="Token mixture: instruction vs response tokens">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    legend,
    cat.svg,
    src.svg,
    '</svg>',
    '',
  ].join('\n');
}
