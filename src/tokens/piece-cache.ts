/** A PieceCache's entries as plain typed arrays (cloneable): what `snapshot` gives and the constructor takes. */
export interface PieceCacheState {
  capacity: number;
  /**
   * Per entry (as many as the cache held), in insertion order: its hash and the lengths of its key and ids, which
   * lie one after another in `keys` and `ids`.
   */
  hashes: Int32Array;
  keyLen: Int32Array;
  idsLen: Int32Array;
  keys: Uint16Array;
  ids: Int32Array;
}

/** A GenerationalPieceCache's two tables, old generation first. */
export type PieceCacheSnapshot = [old: PieceCacheState, young: PieceCacheState];

/**
 * Pre-token -> token ids, looked up by the pre-token's UTF-16 code units where they lie in the text, so a lookup
 * makes no string: a Map keyed by strings needed a slice per pre-token and V8 hashing that fresh string, which was
 * the largest single cost of encoding (most pre-tokens are hits). Keys and ids live in two growing typed arrays
 * (a few MB at 50,000 entries, against several times that for a Map of strings and arrays), which also means the
 * cache pins no conversation text. Open addressing, linear probing, at most half full.
 *
 * The policy (how many entries, what happens when full) is the caller's: see `set` and `clear`, and
 * `GenerationalPieceCache` below for the one the encoder uses.
 */
export class PieceCache {
  private readonly mask: number;
  /** Entry index + 1 per slot; 0: empty. */
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly keyStart: Int32Array;
  private readonly keyLen: Int32Array;
  private readonly idsStart: Int32Array;
  private readonly idsLen: Int32Array;
  private keys: Uint16Array = new Uint16Array(1 << 16);
  private keysUsed = 0;
  /** All entries' ids; an entry's are ids[idsStart[e], idsStart[e] + idsLen[e]). */
  ids: Int32Array = new Int32Array(1 << 14);
  private idsUsed = 0;
  size = 0;

  constructor(readonly capacity: number, state?: PieceCacheState) {
    let bits = 4;
    while (1 << bits < capacity * 2) bits++;
    this.mask = (1 << bits) - 1;
    this.slots = new Int32Array(1 << bits);
    this.hashes = new Int32Array(capacity);
    this.keyStart = new Int32Array(capacity);
    this.keyLen = new Int32Array(capacity);
    this.idsStart = new Int32Array(capacity);
    this.idsLen = new Int32Array(capacity);
    if (state) this.restore(state);
  }

  /** Take another cache's entries (an empty cache of the same capacity adopting a snapshot). */
  private restore(state: PieceCacheState): void {
    if (state.capacity !== this.capacity) throw new Error(`a piece cache of capacity ${state.capacity} cannot become one of ${this.capacity}`);
    const n = state.hashes.length;
    this.hashes.set(state.hashes);
    this.keyLen.set(state.keyLen);
    this.idsLen.set(state.idsLen);
    // Entries lie in the pools in insertion order (see set), so where each starts is the sum of those before it.
    for (let e = 0, k = 0, i = 0; e < n; e++) {
      this.keyStart[e] = k;
      this.idsStart[e] = i;
      k += state.keyLen[e];
      i += state.idsLen[e];
    }
    this.keys = state.keys;
    this.ids = state.ids;
    this.keysUsed = state.keys.length;
    this.idsUsed = state.ids.length;
    this.size = n;
    // The slots are rebuilt, not sent: entries are distinct, so each goes to the first free slot of its probe.
    const { slots, mask, hashes } = this;
    for (let e = 0; e < n; e++) {
      let s = hashes[e] & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = e + 1;
    }
  }

  /** Hash of text[start, end) as `find` and `set` expect it. */
  static hash(text: string, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return h ^ (h >>> 15);
  }

  /** The entry holding text[start, end), or -1. Its ids: `idsAt` / `idsCount`. */
  find(text: string, start: number, end: number, hash: number): number {
    const len = end - start;
    const { slots, hashes, keyStart, keyLen, keys, mask } = this;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const v = slots[s];
      if (v === 0) return -1;
      const e = v - 1;
      if (hashes[e] !== hash || keyLen[e] !== len) continue;
      const k = keyStart[e];
      let i = 0;
      while (i < len && keys[k + i] === text.charCodeAt(start + i)) i++;
      if (i === len) return e;
    }
  }

  idsAt(entry: number): number {
    return this.idsStart[entry];
  }

  idsCount(entry: number): number {
    return this.idsLen[entry];
  }

  /** Add text[start, end) -> ids (not already present; the caller keeps size below capacity). */
  set(text: string, start: number, end: number, hash: number, ids: ArrayLike<number>): void {
    const e = this.size++;
    const len = end - start;
    if (this.keysUsed + len > this.keys.length) {
      const keys = new Uint16Array(doubled(this.keys.length, this.keysUsed + len));
      keys.set(this.keys);
      this.keys = keys;
    }
    for (let i = 0; i < len; i++) this.keys[this.keysUsed + i] = text.charCodeAt(start + i);
    if (this.idsUsed + ids.length > this.ids.length) {
      const pool = new Int32Array(doubled(this.ids.length, this.idsUsed + ids.length));
      pool.set(this.ids);
      this.ids = pool;
    }
    for (let i = 0; i < ids.length; i++) this.ids[this.idsUsed + i] = ids[i];
    this.hashes[e] = hash;
    this.keyStart[e] = this.keysUsed;
    this.keyLen[e] = len;
    this.idsStart[e] = this.idsUsed;
    this.idsLen[e] = ids.length;
    this.keysUsed += len;
    this.idsUsed += ids.length;
    let s = hash & this.mask;
    while (this.slots[s] !== 0) s = (s + 1) & this.mask;
    this.slots[s] = e + 1;
  }

  /** A copy of this cache's entries, for `new PieceCache(capacity, state)` on another thread. */
  snapshot(): PieceCacheState {
    const n = this.size;
    // Only the used part of every array: the main thread pays for each byte copied here, then again to post it.
    return {
      capacity: this.capacity,
      hashes: this.hashes.slice(0, n),
      keyLen: this.keyLen.slice(0, n),
      idsLen: this.idsLen.slice(0, n),
      keys: this.keys.slice(0, this.keysUsed),
      ids: this.ids.slice(0, this.idsUsed),
    };
  }

  /** Forget every entry (the arrays keep their size, to be filled again). */
  clear(): void {
    this.slots.fill(0);
    this.size = 0;
    this.keysUsed = 0;
    this.idsUsed = 0;
  }
}

/**
 * Two PieceCaches of `capacity` entries each, young and old. New entries go to the young one; when it is full the
 * old one is emptied and the two swap roles. A lookup that misses the young table but hits the old one copies the
 * entry forward, so pieces in steady use survive every swap and only pieces unseen for a whole generation are
 * forgotten. Clearing one table at capacity (the previous policy) forgot the common words too: on 20,000
 * real-sentence conversations (87k distinct pre-tokens) every flush recomputed them.
 */
export class GenerationalPieceCache {
  private young: PieceCache;
  private old: PieceCache;
  /** Lookups that found nothing (the caller then computes and `set`s the ids). */
  misses = 0;

  constructor(readonly capacity: number) {
    this.young = new PieceCache(capacity);
    // Until the first swap the old generation is an empty stand-in: a short run (a 1-record audit) never allocates
    // the second set of tables (about 2 MB), and finding nothing in it costs one slot read.
    this.old = new PieceCache(1);
    this.hit = { table: this.young, entry: 0 };
  }

  /**
   * The table and entry holding text[start, end), or undefined (then `set` it). Read the ids with
   * `table.ids.subarray(table.idsAt(entry), ...)` before the next `set`, which may swap or grow the pools.
   */
  find(text: string, start: number, end: number, hash: number): { table: PieceCache; entry: number } | undefined {
    const young = this.young;
    const e = young.find(text, start, end, hash);
    if (e >= 0) return this.found(young, e);
    const old = this.old;
    const o = old.find(text, start, end, hash);
    if (o < 0) {
      this.misses++;
      return undefined;
    }
    // Copied out first: the `set` below may empty this very table (when the young one is full and they swap).
    const n = old.idsCount(o);
    if (this.scratch.length < n) this.scratch = new Int32Array(n);
    this.scratch.set(old.ids.subarray(old.idsAt(o), old.idsAt(o) + n));
    this.set(text, start, end, hash, this.scratch.subarray(0, n));
    return this.found(this.young, this.young.size - 1);
  }

  private scratch = new Int32Array(64);

  /** Add text[start, end) -> ids, known to be in neither table. */
  set(text: string, start: number, end: number, hash: number, ids: ArrayLike<number>): void {
    if (this.young.size >= this.capacity) {
      const emptied = this.old.capacity === this.capacity ? this.old : new PieceCache(this.capacity);
      emptied.clear();
      this.old = this.young;
      this.young = emptied;
    }
    this.young.set(text, start, end, hash, ids);
  }

  /**
   * Both generations, to warm another thread's cache: a worker that starts from the main thread's entries does not
   * merge again the common pieces the main thread already merged.
   */
  snapshot(): PieceCacheSnapshot {
    return [this.old.snapshot(), this.young.snapshot()];
  }

  /** Become a copy of another cache's snapshot (same capacity), forgetting this one's entries; misses are left alone. */
  adopt([old, young]: PieceCacheSnapshot): void {
    this.old = old.hashes.length ? new PieceCache(this.capacity, old) : new PieceCache(1);
    this.young = new PieceCache(this.capacity, young);
  }

  private readonly hit: { table: PieceCache; entry: number };
  /** One reused result object: a lookup allocates nothing. */
  private found(table: PieceCache, entry: number): { table: PieceCache; entry: number } {
    this.hit.table = table;
    this.hit.entry = entry;
    return this.hit;
  }
}

/** Double `size` until it holds `need` (an adopted pool can be empty: size 0 starts at 1024). */
function doubled(size: number, need: number): number {
  size = Math.max(size, 1024);
  while (size < need) size *= 2;
  return size;
}
