export interface HistogramBucket {
  min: number;
  max: number;
  records: number;
}

/**
 * Bucket edges: powers of two from 128 up to below `maxLength`, then `maxLength` itself, so the last
 * in-range bucket ends exactly at the max-length edge; one more bucket holds everything longer.
 * Every bucket is listed, empty ones too, so the shape is stable across runs. Bounds are inclusive.
 */
export function lengthHistogram(opts: { lengths: ArrayLike<number>; maxLength: number }): HistogramBucket[] {
  const { maxLength } = opts;
  const edges = [0];
  for (let e = 128; e < maxLength; e *= 2) edges.push(e);
  const buckets: HistogramBucket[] = edges.map((min, i) => ({ min, max: (edges[i + 1] ?? maxLength + 1) - 1, records: 0 }));
  buckets[buckets.length - 1].max = maxLength;
  let longest = maxLength + 1;
  let over = 0;
  for (let k = 0; k < opts.lengths.length; k++) {
    const n = opts.lengths[k];
    if (n > maxLength) {
      over++;
      longest = Math.max(longest, n);
      continue;
    }
    // few buckets: a linear scan from the top is plenty
    let b = buckets.length - 1;
    while (buckets[b].min > n) b--;
    buckets[b].records++;
  }
  buckets.push({ min: maxLength + 1, max: longest, records: over });
  return buckets;
}
