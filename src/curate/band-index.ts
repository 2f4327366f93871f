/**
 * The band buckets of near_dedup's decide phase: a multimap from a 32-bit band key to the ordinals of the
 * kept records that have it, as an open-addressing table in two typed arrays (8 bytes a slot, load ≤ 0.75,
 * so 10.7–21 bytes per inserted key). Only kept records are inserted, `bands` keys each.
 *
 * Two different bands whose keys collide in 32 bits only add a candidate; the exact Jaccard check then
 * rejects it, so the table never makes a wrong drop, only (rarely) an extra comparison.
 */
export class BandIndex {
  private keys: Uint32Array;
  /** ordinal + 1; 0 marks an empty slot. */
  private vals: Uint32Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 1 << 16) {
    let cap = 1;
    while (cap < initialCapacity) cap <<= 1;
    this.keys = new Uint32Array(cap);
    this.vals = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  get bytes(): number {
    return this.keys.byteLength + this.vals.byteLength;
  }

  /** Count, per ordinal stored under any of `keys`, how many of the keys it shares. */
  collectCounts(keys: Uint32Array, out: Map<number, number>): void {
    for (let b = 0; b < keys.length; b++) {
      const k = keys[b];
      for (let i = k & this.mask; this.vals[i] !== 0; i = (i + 1) & this.mask) {
        if (this.keys[i] === k) out.set(this.vals[i] - 1, (out.get(this.vals[i] - 1) ?? 0) + 1);
      }
    }
  }

  insert(keys: Uint32Array, ordinal: number): void {
    if ((this.size + keys.length) * 4 > this.keys.length * 3) this.grow();
    for (let b = 0; b < keys.length; b++) this.put(keys[b], ordinal + 1);
    this.size += keys.length;
  }

  private put(k: number, v: number): void {
    let i = k & this.mask;
    while (this.vals[i] !== 0) i = (i + 1) & this.mask;
    this.keys[i] = k;
    this.vals[i] = v;
  }

  private grow(): void {
    const { keys, vals } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.vals = new Uint32Array(keys.length * 2);
    this.mask = this.keys.length - 1;
    for (let i = 0; i < keys.length; i++) if (vals[i] !== 0) this.put(keys[i], vals[i]);
  }
}
