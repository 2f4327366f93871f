import type { Data } from 'apache-arrow';
import type { PhysicalType } from './leaves.js';

/**
 * Min/max of one page or column chunk. String bounds are compared on their first STATS_BYTES bytes only: the
 * writer truncates them to that length anyway (min cut down, max cut and rounded up, as arrow-rs does), and a
 * prefix keeps the order (a <= b implies prefix(a) <= prefix(b)), so a long shared prefix such as a repeated
 * system prompt costs 64 byte comparisons, not its whole length.
 */
export const STATS_BYTES = 64;

export type Bound = Uint8Array | bigint | number | boolean;

/** Byte order of two UTF-8 values in `bytes`, looking at most STATS_BYTES bytes into each. */
function compareBytes(bytes: Uint8Array, a0: number, a1: number, b0: number, b1: number): number {
  const la = Math.min(a1 - a0, STATS_BYTES);
  const lb = Math.min(b1 - b0, STATS_BYTES);
  const n = Math.min(la, lb);
  for (let i = 0; i < n; i++) {
    const d = bytes[a0 + i] - bytes[b0 + i];
    if (d !== 0) return d;
  }
  return la - lb;
}

/** Returns a comparator of two value indexes for the leaf's Arrow data. NaN never becomes a bound. */
export function comparatorFor(type: PhysicalType, d: Data): (i: number, j: number) => number {
  switch (type) {
    case 'BYTE_ARRAY': {
      const off = d.valueOffsets as Int32Array;
      const bytes = d.values as Uint8Array;
      return (i, j) => compareBytes(bytes, off[i], off[i + 1], off[j], off[j + 1]);
    }
    case 'INT64': {
      const v = d.values as BigInt64Array;
      return (i, j) => (v[i] < v[j] ? -1 : v[i] > v[j] ? 1 : 0);
    }
    case 'DOUBLE': {
      const v = d.values as Float64Array;
      return (i, j) => v[i] - v[j];
    }
    case 'BOOLEAN': {
      const v = d.values as Uint8Array;
      return (i, j) => ((v[i >> 3] >> (i & 7)) & 1) - ((v[j >> 3] >> (j & 7)) & 1);
    }
  }
}

/** Whether a value may be a bound (a DOUBLE NaN may not, per the Parquet spec). */
export function boundable(type: PhysicalType, d: Data, i: number): boolean {
  return type !== 'DOUBLE' || !Number.isNaN((d.values as Float64Array)[i]);
}

/** The value at index `i`, as hyparquet-writer's statistics encoder takes it. */
export function boundOf(type: PhysicalType, d: Data, i: number, isMax: boolean): Bound {
  switch (type) {
    case 'BYTE_ARRAY': {
      const off = d.valueOffsets as Int32Array;
      return (d.values as Uint8Array).slice(off[i], off[i + 1]);
    }
    case 'INT64':
      return (d.values as BigInt64Array)[i];
    case 'DOUBLE': {
      const x = (d.values as Float64Array)[i];
      // The spec asks for -0.0 as a min of zero and +0.0 as a max of zero.
      return x === 0 ? (isMax ? 0 : -0) : x;
    }
    case 'BOOLEAN': {
      const v = d.values as Uint8Array;
      return ((v[i >> 3] >> (i & 7)) & 1) === 1;
    }
  }
}
