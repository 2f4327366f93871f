/** How many `seqLen` packs the records fill, and how full those packs are. */
export interface PackingEstimate {
  seq_len: number;
  packs: number;
  /** Tokens placed / (packs × seq_len). */
  efficiency: number;
}

/**
 * First-fit-decreasing bin packing of record lengths into packs of `seqLen` tokens. A record longer than
 * `seqLen` is counted as `seqLen` (the trainer cuts it to the sequence length), so it fills a pack alone.
 * Records of 0 tokens take no space. "First fit" is found with a max segment tree over the packs'
 * remaining room, so it is O(n log n), not O(n × packs).
 */
export function packFirstFitDecreasing(opts: { lengths: ArrayLike<number>; seqLen: number }): PackingEstimate {
  const { seqLen } = opts;
  if (!(Number.isInteger(seqLen) && seqLen > 0)) throw new Error(`seq_len must be a positive integer, got ${seqLen}`);
  const items = Int32Array.from(opts.lengths, (n) => Math.min(n, seqLen)).sort().reverse();
  const n = items.length;
  let size = 1;
  while (size < Math.max(1, n)) size *= 2;
  // tree[i] = most room left in any pack under node i; leaves are packs, all empty at first.
  const tree = new Int32Array(2 * size).fill(seqLen);
  let packs = 0;
  let placed = 0;
  for (const len of items) {
    if (len <= 0) continue;
    let i = 1;
    while (i < size) i = tree[2 * i] >= len ? 2 * i : 2 * i + 1;
    const pack = i - size;
    if (tree[i] === seqLen) packs = Math.max(packs, pack + 1);
    tree[i] -= len;
    placed += len;
    for (i >>= 1; i >= 1; i >>= 1) tree[i] = Math.max(tree[2 * i], tree[2 * i + 1]);
  }
  return { seq_len: seqLen, packs, efficiency: packs ? placed / (packs * seqLen) : 0 };
}
