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

  it('prints fractions, -0, non-finite and unsafe numbers as Intl does (it hands them to Intl)', () => {
    for (const v of [-0, 0.5, 1.5, 2.5, -2.5, 1234.49, 1234.5, 999.9, -0.4, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 60, -(2 ** 70), 1e21, 1e300]) {
      expect(formatInt(v), String(v)).toBe(intl.format(v));
    }
    expect(formatInt(-0)).toBe('-0');
    expect(formatInt(1234567)).toBe('1,234,567');
  });
});
