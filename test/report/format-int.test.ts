import { describe, expect, it } from 'vitest';
import { formatInt } from '../../src/report/format.js';

/**
 * formatInt groups whole numbers itself (creating an Intl.NumberFormat costs ~20 ms at start-up) and must print
 * exactly what en-US Intl.NumberFormat with no fraction digits prints, which is what the reports always showed.
 */
const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

describe('formatInt', () => {
  it('prints what Intl.NumberFormat en-US prints, at every digit count and sign', () => {
    const values: number[] = [0, -0, 1, -1, 12, 123, 999, 1000, -1000, 1001, 9999, 10000, 99999, 100000, 999999, 1000000, 1234567, -1234567, 12345678, 123456789];
    for (let p = 0; p <= 15; p++) values.push(10 ** p, 10 ** p - 1, -(10 ** p), -(10 ** p) + 1);
    values.push(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER);
    // A fixed-seed LCG: many lengths and digit patterns, the same every run.
    let seed = 42;
    for (let i = 0; i < 5000; i++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      const digits = 1 + (seed % 16);
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      const v = Math.floor((seed / 2 ** 32) * 10 ** digits);
      values.push(Number.isSafeInteger(v) ? v : Number.MAX_SAFE_INTEGER, -v);
    }
    for (const v of values) expect(formatInt(v), String(v)).toBe(intl.format(v));
  });

  it('rounds fractions as Intl does (half away from zero, "-0" for a negative that rounds to zero)', () => {
    const values = [-0, 0.25, 0.5, 0.75, 1.5, 2.5, -2.5, -0.5, -0.4, 1234.49, 1234.5, 999.5, 999.4999999, 0.49999999999999994, 1e15 + 0.5, 2 ** 52 + 0.5, 4503599627370495.5];
    let seed = 7;
    for (let i = 0; i < 5000; i++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      const scale = 10 ** (seed % 12);
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      const v = (seed / 2 ** 32 - 0.5) * scale;
      values.push(v, Math.round(v * 2) / 2);
    }
    for (const v of values) expect(formatInt(v), String(v)).toBe(intl.format(v));
    expect(formatInt(-0.4)).toBe('-0');
  });

  it('hands NaN, ±∞ and magnitudes beyond 2^53 to Intl', () => {
    for (const v of [NaN, Infinity, -Infinity, 2 ** 53, 2 ** 53 - 0.5, 2 ** 60, -(2 ** 70), 1e21, 1e300]) expect(formatInt(v), String(v)).toBe(intl.format(v));
  });
});
