import { randomBytes } from 'node:crypto';
import type { InexactNumber } from './json-text.js';
import { stringSites } from './json-walk.js';

/**
 * Where inexact number tokens land in the parsed value. JSON.parse gives no access to a number's text
 * (Node 20, without a flag), so the tokens are rewritten as marker strings first and found again by a
 * walk. The marker carries a per-process random nonce, so no input string can pass for one.
 */
const MARKER = `chatmill:number:${randomBytes(12).toString('hex')}:`;

export interface LandedNumber {
  token: InexactNumber;
  path: string;
  container: Record<string, unknown> | unknown[];
  key: string | number;
}

/**
 * Parse `text` with each of `tokens` (from inexactNumbers, in text order) replaced by a marker. Returns the
 * parsed value, holding the markers, and where each marker that survived landed (a duplicate key can drop
 * one), in text order.
 */
export function parseLocatingNumbers(text: string, tokens: InexactNumber[]): { value: unknown; landed: LandedNumber[] } {
  let rewritten = '';
  let from = 0;
  tokens.forEach((t, k) => {
    rewritten += `${text.slice(from, t.start)}"${MARKER}${k}"`;
    from = t.end;
  });
  rewritten += text.slice(from);
  const value: unknown = JSON.parse(rewritten);
  const landed: LandedNumber[] = [];
  for (const site of stringSites(value)) {
    if (site.isKey || !site.text.startsWith(MARKER) || site.container === undefined || site.key === undefined) continue;
    const token = tokens[Number(site.text.slice(MARKER.length))];
    landed.push({ token, path: site.path(), container: site.container, key: site.key });
  }
  landed.sort((a, b) => a.token.start - b.token.start);
  return { value, landed };
}
