import { describe, expect, it } from 'vitest';
import { inexactNumbers, NUMBER_TO_CHECK, scanJsonText, SURROGATE_ESCAPE, TOO_DEEP } from '../../src/validate/json-text.js';

/**
 * The pre-scan decides whether the slow checks run, so it must never miss: checked here against an
 * independent oracle (JSON.parse, then String.prototype.isWellFormed / the double's own text) on seeded
 * random records.
 */
function prng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * n);
  };
}
const isWellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

describe('JSON pre-scan', () => {
  it('flags a lone surrogate escape exactly when the parsed strings are not well-formed', () => {
    const rnd = prng(8);
    const parts = ['\\ud800', '\\uDBFF', '\\udc00', '\\uDFFF', 'a', '\\\\', '\\n', '😀', '\\u0041', '\\ud83d\\ude00', '\\"', '\\\\ud800'];
    let lone = 0;
    for (let t = 0; t < 20_000; t++) {
      let s = '';
      for (let i = 0, k = 1 + rnd(6); i < k; i++) s += parts[rnd(parts.length)];
      const text = `{"k${parts[rnd(parts.length)]}":"${s}","v":["${parts[rnd(parts.length)]}"]}`;
      const v = JSON.parse(text) as { v: string[] };
      const bad = Object.keys(v).some((k) => !isWellFormed(k)) || Object.values(v).flat().some((x) => !isWellFormed(x as string));
      if (bad) lone++;
      expect((scanJsonText(text, 100) & SURROGATE_ESCAPE) !== 0, text).toBe(bad);
    }
    expect(lone).toBeGreaterThan(5000);
  });

  it('finds exactly the number tokens a double changes, and flags every record that has one', () => {
    const rnd = prng(9);
    const digits = (k: number) => String(1 + rnd(9)) + Array.from({ length: k - 1 }, () => rnd(10)).join('');
    let inexact = 0;
    for (let t = 0; t < 20_000; t++) {
      let tok = (rnd(2) ? '-' : '') + (rnd(10) === 0 ? '0' : digits(1 + rnd(30)));
      if (rnd(3) === 0) tok += `.${digits(1 + rnd(25))}`;
      if (rnd(3) === 0) tok += `${rnd(2) ? 'e' : 'E'}${['', '+', '-'][rnd(3)]}${digits(1 + rnd(3))}`;
      const text = `{"a":[${tok},"${digits(20)}"],"b":true}`;
      const v = (JSON.parse(text) as { a: number[] }).a[0];
      // Underflow: written with a non-zero digit before the exponent, read as (±)0.
      const underflow = v === 0 && /[eE]/.test(tok) && /[1-9]/.test(tok.split(/[eE]/)[0]);
      const changed = !Number.isFinite(v) || underflow || (!/[.eE]/.test(tok) && JSON.stringify(v) !== tok && !Object.is(v, -0));
      if (changed) inexact++;
      expect(inexactNumbers(text).map((n) => n.text), text).toEqual(changed ? [tok] : []);
      if (changed) expect(scanJsonText(text, 100) & NUMBER_TO_CHECK, text).toBeTruthy();
    }
    expect(inexact).toBeGreaterThan(2000);
  });

  it('still measures depth past strings with escapes and brackets in them', () => {
    expect(scanJsonText(`${'['.repeat(101)}${']'.repeat(101)}`, 100) & TOO_DEEP).toBeTruthy();
    expect(scanJsonText(`[[["\\"[[[[\\\\", "[[[["]]]`, 3) & TOO_DEEP).toBe(0);
    expect(scanJsonText(`[[["\\"[[[[\\\\", "[[[["]]]`, 2) & TOO_DEEP).toBeTruthy();
  });
});
