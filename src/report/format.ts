/**
 * Number and text formatting shared by the audit reports (Markdown, HTML, plain text).
 * Locale is pinned to en-US so reports are byte-identical on every machine.
 */

/**
 * Made on first need only: creating an Intl.NumberFormat loads ICU's locale data, about 20 ms, a tenth of a
 * small audit's start-up. Finite numbers below 2^53, which is every call in practice, are formatted here.
 */
let intFormat: Intl.NumberFormat | undefined;

/** 1234567 -> "1,234,567": en-US grouping, rounded to a whole number half away from zero, as Intl.NumberFormat does. */
export function formatInt(n: number): string {
  const magnitude = Math.round(Math.abs(n));
  if (magnitude <= Number.MAX_SAFE_INTEGER) {
    // Intl keeps the sign of a negative number that rounds to zero (-0.4 -> "-0"), and of -0 itself.
    return n < 0 || Object.is(n, -0) ? `-${groupThousands(magnitude)}` : groupThousands(magnitude);
  }
  // NaN, ±∞ and magnitudes beyond 2^53 (whose digits String() would print in exponent form).
  intFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  return intFormat.format(n);
}

/** A whole number 0 ≤ n ≤ 2^53 − 1 with a comma every three digits. */
function groupThousands(n: number): string {
  const digits = String(n);
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let at = out.length; at < digits.length; at += 3) out += `,${digits.slice(at, at + 3)}`;
  return out;
}

/** 12_345_678 -> "12.3M", 950 -> "950", 1_500 -> "1.5K". One decimal below 100 of a unit, none above. */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  const units: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, suffix] of units) {
    // Round first so 999_950 becomes "1.0M" rather than "1000.0K".
    if (abs >= size * 0.99995) {
      const v = n / size;
      const digits = Math.abs(v) >= 100 ? 0 : 1;
      return `${v.toFixed(digits)}${suffix}`;
    }
  }
  return formatInt(n);
}

/** 0.6912 -> "69.1%". */
export function formatPercent(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

/** a / b, or 0 when b is 0 (empty buckets must not print NaN). */
export function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape text for HTML/SVG element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEntities[c]);
}

/**
 * Make user text inert inside a GitHub-flavoured Markdown table cell: no pipes splitting the row,
 * no newlines ending it, no emphasis/links/HTML coming alive.
 */
export function escapeMarkdownCell(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Shorten from the left so the end of a path (the file name) stays visible: "…/data/train.jsonl". */
export function truncateLeft(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  return `…${chars.slice(chars.length - (width - 1)).join('')}`;
}

/** Shorten from the right: "very long catego…". */
export function truncateRight(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  return `${chars.slice(0, width - 1).join('')}…`;
}

/** Visible width of a string in a monospace terminal (code points; good enough for our labels). */
export function textWidth(text: string): number {
  return [...text].length;
}

/**
 * Make user text safe to print on a terminal: control characters (escape sequences, carriage returns)
 * are shown as \xNN instead of being interpreted.
 */
export function terminalSafe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
