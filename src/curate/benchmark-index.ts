import type { BenchmarkItem } from './benchmarks.js';
import { gramHashes, gramStrings, tokenHashes, tokenStrings } from './text.js';
import { U32Buffer } from '../u32-buffer.js';

/**
 * The n-gram index of benchmark items, and the rule that matches a text against it (Tulu 3's: an item
 * contaminates a text when more than `threshold` of the item's distinct n-grams occur in the text; an
 * item shorter than n tokens matches when its whole normalized token sequence occurs in the text).
 *
 * Lookups use 32-bit n-gram hashes (a table of 8 bytes per distinct n-gram plus 4 per posting); every
 * match the hashes suggest is then checked on the n-gram strings, so the reported overlap is exact and a
 * hash collision can never make a match. (It could in principle hide one: the hashed count is checked
 * with a 0.1 margin below the threshold, which a collision would have to exceed.)
 */
export interface Match {
  item: number;
  /** Exact fraction of the item's distinct n-grams found in the text (1 for a contained short item). */
  overlap: number;
  /** A short item (fewer than n tokens), matched by containment. */
  short: boolean;
}

export class BenchmarkIndex {
  readonly items: BenchmarkItem[];
  /** Distinct n-gram count per item (hashed); 0 for short items. */
  private readonly gramCount: Uint32Array;
  // Long items: open-addressing table n-gram hash → [start, end) in `postings`.
  private readonly keys: Uint32Array;
  private readonly starts: Uint32Array;
  private readonly ends: Uint32Array;
  private readonly mask: number;
  private readonly postings: Uint32Array;
  /** Short items by token count: whole-sequence hash → item numbers. */
  private readonly short = new Map<number, Map<number, number[]>>();
  /** Every short-item hash in a typed open-addressing set: most windows miss, and miss here cheaply. */
  private shortSet = new Uint32Array(0);
  private shortUsed = new Uint8Array(0);
  private readonly itemGrams = new Map<number, Set<string>>();
  private readonly counts: Uint32Array;
  private readonly touched = new U32Buffer();
  private readonly tokens = new U32Buffer();
  private readonly grams = new U32Buffer();
  readonly distinctGrams: number;

  /** Items with fewer than minWords tokens (not used: "Neural networks:" would match everywhere). */
  readonly tooShort: number[] = [];

  constructor(items: BenchmarkItem[], readonly ngram = 8, readonly threshold = 0.5, readonly minWords = 3) {
    this.items = items;
    this.gramCount = new Uint32Array(items.length);
    this.counts = new Uint32Array(items.length);
    // Every distinct (n-gram hash, item) pair, in item order; then a count pass and a fill pass build the
    // postings (CSR) without sorting, each list in item order.
    const pg = new U32Buffer();
    const pi = new U32Buffer();
    for (let it = 0; it < items.length; it++) {
      tokenHashes(items[it].text, this.tokens);
      const m = this.tokens.length;
      if (m < minWords || m === 0) {
        this.tooShort.push(it);
        continue;
      }
      if (m < ngram) {
        gramHashes(this.tokens, m, this.grams);
        let byHash = this.short.get(m);
        if (!byHash) this.short.set(m, (byHash = new Map()));
        const list = byHash.get(this.grams.data[0]);
        if (list) list.push(it);
        else byHash.set(this.grams.data[0], [it]);
        continue;
      }
      gramHashes(this.tokens, ngram, this.grams);
      const g = this.grams.data.subarray(0, this.grams.length).sort();
      for (let i = 0; i < g.length; i++) {
        if (i > 0 && g[i] === g[i - 1]) continue;
        this.gramCount[it]++;
        pg.push(g[i]);
        pi.push(it);
      }
    }
    let scap = 16;
    let shortCount = 0;
    for (const byHash of this.short.values()) shortCount += byHash.size;
    while (scap < shortCount * 2) scap <<= 1;
    this.shortSet = new Uint32Array(scap);
    this.shortUsed = new Uint8Array(scap);
    for (const byHash of this.short.values()) {
      for (const h of byHash.keys()) {
        let slot = h & (scap - 1);
        while (this.shortUsed[slot] && this.shortSet[slot] !== h) slot = (slot + 1) & (scap - 1);
        this.shortSet[slot] = h;
        this.shortUsed[slot] = 1;
      }
    }
    const np = pg.length;
    let cap = 1;
    // Load ≤ 0.5 even if every posting were a distinct n-gram: most of a record's n-grams miss, and a miss
    // probes to the next empty slot (about 7 slots at load 0.75, 2.5 at 0.5).
    while (cap < np * 2) cap <<= 1;
    this.keys = new Uint32Array(cap);
    this.starts = new Uint32Array(cap);
    this.ends = new Uint32Array(cap); // counts, then end offsets; 0 marks an empty slot
    this.mask = cap - 1;
    const slotOf = new Uint32Array(np);
    let distinct = 0;
    for (let i = 0; i < np; i++) {
      const gram = pg.data[i];
      let slot = gram & this.mask;
      while (this.ends[slot] !== 0 && this.keys[slot] !== gram) slot = (slot + 1) & this.mask;
      if (this.ends[slot] === 0) {
        this.keys[slot] = gram;
        distinct++;
      }
      this.ends[slot]++;
      slotOf[i] = slot;
    }
    this.distinctGrams = distinct;
    let at = 0;
    for (let slot = 0; slot < cap; slot++) {
      if (this.ends[slot] === 0) continue;
      this.starts[slot] = at;
      at += this.ends[slot];
      this.ends[slot] = this.starts[slot]; // fill cursor; ends at start + count after the fill pass
    }
    this.postings = new Uint32Array(np);
    for (let i = 0; i < np; i++) this.postings[this.ends[slotOf[i]]++] = pi.data[i];
  }

  /** Every item that contaminates `text`, with its exact overlap. */
  match(text: string): Match[] {
    tokenHashes(text, this.tokens);
    const m = this.tokens.length;
    if (m === 0) return [];
    const found: Match[] = [];
    let exact: { tokens: string[]; grams?: Set<string>; joined?: string } | undefined;
    const textTokens = () => (exact ??= { tokens: tokenStrings(text) });

    if (m >= this.ngram && this.postings.length) {
      gramHashes(this.tokens, this.ngram, this.grams);
      const g = this.grams.data.subarray(0, this.grams.length).sort();
      this.touched.clear();
      for (let i = 0; i < g.length; i++) {
        if (i > 0 && g[i] === g[i - 1]) continue;
        const gram = g[i];
        for (let slot = gram & this.mask; this.ends[slot] !== 0; slot = (slot + 1) & this.mask) {
          if (this.keys[slot] !== gram) continue;
          for (let p = this.starts[slot]; p < this.ends[slot]; p++) {
            const it = this.postings[p];
            if (this.counts[it]++ === 0) this.touched.push(it);
          }
          break;
        }
      }
      for (let t = 0; t < this.touched.length; t++) {
        const it = this.touched.data[t];
        const hashed = this.counts[it] / this.gramCount[it];
        this.counts[it] = 0;
        if (hashed <= this.threshold - 0.1) continue;
        const ex = textTokens();
        ex.grams ??= gramStrings(ex.tokens, this.ngram);
        const mine = this.gramsOf(it);
        let inter = 0;
        for (const x of mine) if (ex.grams.has(x)) inter++;
        const overlap = inter / mine.size;
        if (overlap > this.threshold) found.push({ item: it, overlap, short: false });
      }
    }

    for (const [len, byHash] of this.short) {
      if (len > m) continue;
      gramHashes(this.tokens, len, this.grams);
      const seen = new Set<number>();
      const smask = this.shortSet.length - 1;
      for (let i = 0; i < this.grams.length; i++) {
        const h = this.grams.data[i];
        let slot = h & smask;
        while (this.shortUsed[slot] && this.shortSet[slot] !== h) slot = (slot + 1) & smask;
        if (!this.shortUsed[slot]) continue;
        const list = byHash.get(h);
        if (!list) continue;
        for (const it of list) {
          if (seen.has(it)) continue;
          seen.add(it);
          const ex = textTokens();
          ex.joined ??= ` ${ex.tokens.join(' ')} `;
          if (ex.joined.includes(` ${tokenStrings(this.items[it].text).join(' ')} `)) found.push({ item: it, overlap: 1, short: true });
        }
      }
    }
    return found;
  }

  private gramsOf(it: number): Set<string> {
    let s = this.itemGrams.get(it);
    if (!s) this.itemGrams.set(it, (s = gramStrings(tokenStrings(this.items[it].text), this.ngram)));
    return s;
  }
}
