import { AddedTokenMatcher } from './added-tokens.js';
import { BYTE_CHARS, type CompiledTokenizer } from './compiled.js';
import { GenerationalPieceCache, PieceCache, type PieceCacheSnapshot } from './piece-cache.js';
import { type PieceEnd, pieceEndFor } from './pretokenize.js';
import { U32Buffer } from '../u32-buffer.js';

/** Pre-tokens longer than this are not cached (long runs of whitespace or digits are rare and unique). */
const MAX_CACHED_PIECE = 256;
/**
 * Entries per cache generation (two generations: src/tokens/piece-cache.ts). Real-sentence corpora have 87k
 * distinct pre-tokens in 20,000 conversations and 108k in 100,000, so the pieces in steady use fit one
 * generation. About 50 bytes an entry when full: ~6 MB per encoder for both generations.
 */
const CACHE_CAPACITY = 65_536;
/** Pieces up to this many bytes merge by a linear scan per merge; longer ones through a heap (n log n). */
const LINEAR_MAX_BYTES = 128;
const NO_RANK = 0x7fffffff;
/** Heap keys are rank * 2^26 + position: exact in a double for 2^27 merges and 64 MiB pieces. */
const POS_SPAN = 2 ** 26;

/**
 * Text -> token ids over a compiled tokenizer's tables (src/tokens/compiled.ts), the same steps as the Rust
 * tokenizer's encode without special tokens: split out added tokens (leftmost-longest), split the rest with the
 * pre-token pattern (isolated), map each pre-token to bytes and merge byte pairs by rank, leftmost first on ties
 * (the Rust priority queue's order), or take the pre-token whole when `ignore_merges` finds it in the vocabulary.
 * A cache from raw pre-token to ids skips the repeated work; parity: test/tokens/{parity,fast-path,compiled}.test.ts.
 */
export class CompiledEncoder {
  private readonly t: CompiledTokenizer;
  private readonly splitRe: RegExp | undefined;
  /** A hand-written scan giving the split pattern's pieces (src/tokens/pretokenize.ts); else splitRe is run. */
  private readonly pieceEnd: PieceEnd | undefined;
  /** Added tokens matched on the raw text (normalized: false), then those matched after normalizing (none here). */
  private readonly raw: AddedTokenMatcher | undefined;
  private readonly normalized: AddedTokenMatcher | undefined;
  private readonly addedIds = new Map<string, number>();
  private readonly cache = new GenerationalPieceCache(CACHE_CAPACITY);
  private readonly out = new U32Buffer();
  private readonly utf8 = new TextEncoder();
  private bytes = new Uint8Array(1024);
  private sym = new Int32Array(LINEAR_MAX_BYTES);
  private rank = new Int32Array(LINEAR_MAX_BYTES);
  private mergedId = new Int32Array(LINEAR_MAX_BYTES);
  private readonly byteOfChar = new Map<number, number>();
  /**
   * The merge of two single bytes, by (first byte << 8 | second byte): rank + 1 (0: not looked up yet, -1: they do
   * not merge), and the id it makes. A piece's first round of pairs is all byte pairs, a third of its lookups;
   * filled on first use from the merge table, 512 KB per encoder.
   */
  private bytePairRank: Int32Array | undefined;
  private bytePairId: Int32Array | undefined;

  constructor(tables: CompiledTokenizer) {
    this.t = tables;
    const { split, added } = tables.meta;
    this.splitRe = split ? new RegExp(split.source, split.flags) : undefined;
    this.pieceEnd = split ? pieceEndFor(split) : undefined;
    const raw = added.filter((a) => !a.normalized);
    const normalized = added.filter((a) => a.normalized);
    this.raw = raw.length ? new AddedTokenMatcher(raw) : undefined;
    this.normalized = normalized.length ? new AddedTokenMatcher(normalized) : undefined;
    for (const a of added) this.addedIds.set(a.content, a.id);
    BYTE_CHARS.forEach((c, b) => this.byteOfChar.set(c.charCodeAt(0), b));
  }

  /** The id of a token string: an added token's content, or a vocabulary token in byte-level characters. */
  tokenId(token: string): number | undefined {
    const added = this.addedIds.get(token);
    if (added !== undefined) return added;
    const key = new Uint8Array(token.length);
    for (let i = 0; i < token.length; i++) {
      const b = this.byteOfChar.get(token.charCodeAt(i));
      if (b === undefined) return undefined;
      key[i] = b;
    }
    const id = this.t.vocabId(key, 0, key.length);
    return id >= 0 ? id : undefined;
  }

  /** This encoder's pre-token cache, for `warmCache` on another thread's encoder of the same tables. */
  cacheSnapshot(): PieceCacheSnapshot {
    return this.cache.snapshot();
  }

  /** Start from another encoder's cache (same tables, so the same ids for every pre-token), forgetting this one's. */
  warmCache(snapshot: PieceCacheSnapshot): void {
    this.cache.adopt(snapshot);
  }

  encode(text: string): number[] {
    return Array.from(this.encodeView(text));
  }

  /**
   * The ids of text as a view of this encoder's own buffer, valid until its next encode: the hot path reads them once
   * (src/tokens/count.ts) and so allocates nothing per record.
   */
  encodeView(text: string): Uint32Array {
    const out = this.out;
    out.clear();
    const m = this.raw;
    let at = 0;
    if (m) {
      while (m.find(text, at)) {
        if (m.start > at) this.encodeUnmatched(text, at, m.start, out);
        out.push(m.id);
        at = m.end;
      }
    }
    if (at < text.length) this.encodeUnmatched(text, at, text.length, out);
    return out.view();
  }

  /** text[start, end) between raw-matched added tokens: normalized added tokens next (there is no normalizer), then pre-tokens. */
  private encodeUnmatched(text: string, start: number, end: number, out: U32Buffer): void {
    const m = this.normalized;
    if (!m) return this.encodeSection(text, start, end, out);
    // Rare (no known byte-level tokenizer has them): matched on the section alone, as the library does.
    const section = text.slice(start, end);
    let at = 0;
    while (m.find(section, at)) {
      if (m.start > at) this.encodeSection(section, at, m.start, out);
      out.push(m.id);
      at = m.end;
    }
    if (at < section.length) this.encodeSection(section, at, section.length, out);
  }

  /** Pre-tokens of text[start, end), which the split pattern sees as a whole string (its lookahead stops at end). */
  private encodeSection(text: string, start: number, end: number, out: U32Buffer): void {
    const pieceEnd = this.pieceEnd;
    if (pieceEnd) {
      for (let i = start; i < end; ) {
        const j = pieceEnd(text, i, end);
        this.encodePiece(text, i, j, out);
        i = j;
      }
      return;
    }
    const section = start === 0 && end === text.length ? text : text.slice(start, end);
    const re = this.splitRe;
    if (!re) return this.encodePiece(section, 0, section.length, out);
    // Isolated split: the pieces are the matches and the text between them.
    re.lastIndex = 0;
    let prev = 0;
    for (let m = re.exec(section); m !== null; m = re.exec(section)) {
      const match = m[0];
      if (m.index > prev) this.encodePiece(section, prev, m.index, out);
      if (match.length) this.encodePiece(section, m.index, m.index + match.length, out);
      else re.lastIndex += (section.codePointAt(re.lastIndex) ?? 0) > 0xffff ? 2 : 1;
      prev = m.index + match.length;
    }
    if (prev < section.length) this.encodePiece(section, prev, section.length, out);
  }

  /** The ids of the pre-token text[start, end). */
  private encodePiece(text: string, start: number, end: number, out: U32Buffer): void {
    const cacheable = end - start < MAX_CACHED_PIECE;
    const cache = this.cache;
    const hash = cacheable ? PieceCache.hash(text, start, end) : 0;
    if (cacheable) {
      const hit = cache.find(text, start, end, hash);
      if (hit) {
        const { table, entry } = hit;
        const pool = table.ids;
        for (let i = table.idsAt(entry), stop = i + table.idsCount(entry); i < stop; i++) out.push(pool[i]);
        return;
      }
    }
    const ids = this.bpe(text.slice(start, end));
    if (cacheable) cache.set(text, start, end, hash, ids);
    for (let i = 0; i < ids.length; i++) out.push(ids[i]);
  }

  private bpe(piece: string): number[] {
    if (this.bytes.length < piece.length * 3) this.bytes = new Uint8Array(piece.length * 3);
    const n = this.utf8.encodeInto(piece, this.bytes).written;
    const t = this.t;
    if (t.meta.ignoreMerges) {
      const whole = t.vocabId(this.bytes, 0, n);
      if (whole >= 0) return [whole];
    }
    if (n === 1) return [t.byteIds[this.bytes[0]]];
    return n <= LINEAR_MAX_BYTES ? this.mergeLinear(n) : this.mergeHeap(n);
  }

  /** The rank and result of merging (left, right) into rank[i] / mergedId[i]. */
  private pairAt(i: number, left: number, right: number): void {
    const slot = this.t.merge(left, right);
    if (slot < 0) this.rank[i] = NO_RANK;
    else {
      this.rank[i] = this.t.mergeRank(slot);
      this.mergedId[i] = this.t.mergeResult(slot);
    }
  }

  /** Short pieces: find the lowest-ranked pair by a scan, merge it, repeat. */
  private mergeLinear(n: number): number[] {
    const { sym, rank, mergedId } = this;
    const byteIds = this.t.byteIds;
    const bytes = this.bytes;
    for (let i = 0; i < n; i++) sym[i] = byteIds[bytes[i]];
    const pairRank = (this.bytePairRank ??= new Int32Array(1 << 16));
    const pairId = (this.bytePairId ??= new Int32Array(1 << 16));
    for (let i = 0; i < n - 1; i++) {
      const key = (bytes[i] << 8) | bytes[i + 1];
      const r = pairRank[key];
      if (r === 0) {
        this.pairAt(i, sym[i], sym[i + 1]);
        pairRank[key] = rank[i] === NO_RANK ? -1 : rank[i] + 1;
        pairId[key] = mergedId[i];
      } else if (r < 0) rank[i] = NO_RANK;
      else {
        rank[i] = r - 1;
        mergedId[i] = pairId[key];
      }
    }
    let len = n;
    while (len > 1) {
      let best = -1;
      let bestRank = NO_RANK;
      for (let i = 0; i < len - 1; i++) {
        if (rank[i] < bestRank) {
          bestRank = rank[i];
          best = i; // strict: the leftmost of equal ranks wins
        }
      }
      if (best < 0) break;
      sym[best] = mergedId[best];
      // Plain loops, not copyWithin: these pieces are short, and each copyWithin was a call into the runtime.
      for (let i = best + 1; i < len - 1; i++) sym[i] = sym[i + 1];
      for (let i = best; i < len - 2; i++) {
        rank[i] = rank[i + 1];
        mergedId[i] = mergedId[i + 1];
      }
      len--;
      if (best > 0) this.pairAt(best - 1, sym[best - 1], sym[best]);
      if (best < len - 1) this.pairAt(best, sym[best], sym[best + 1]);
    }
    const ids = new Array<number>(len);
    for (let i = 0; i < len; i++) ids[i] = sym[i];
    return ids;
  }

  /**
   * Long pieces: symbols in a linked list, candidate merges in a min-heap keyed by (rank, position), as the
   * Rust tokenizer does. A popped entry whose pair has changed since it was pushed is skipped: ranks name
   * exactly one pair, so the pair still there has the same rank only if it is the same pair.
   */
  private mergeHeap(n: number): number[] {
    const t = this.t;
    const sym = new Int32Array(n);
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      sym[i] = t.byteIds[this.bytes[i]];
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    const heap = new MinHeap(n);
    const push = (pos: number) => {
      const right = next[pos];
      if (right < 0) return;
      const slot = t.merge(sym[pos], sym[right]);
      if (slot >= 0) heap.push(t.mergeRank(slot) * POS_SPAN + pos);
    };
    for (let i = 0; i < n - 1; i++) push(i);
    const alive = new Uint8Array(n).fill(1);
    while (heap.size) {
      const key = heap.pop();
      const pos = key % POS_SPAN;
      const rank = (key - pos) / POS_SPAN;
      const right = next[pos];
      if (!alive[pos] || right < 0) continue;
      const slot = t.merge(sym[pos], sym[right]);
      if (slot < 0 || t.mergeRank(slot) !== rank) continue;
      sym[pos] = t.mergeResult(slot);
      alive[right] = 0;
      next[pos] = next[right];
      if (next[right] >= 0) prev[next[right]] = pos;
      if (prev[pos] >= 0) push(prev[pos]);
      push(pos);
    }
    const ids: number[] = [];
    for (let i = 0; i >= 0; i = next[i]) ids.push(sym[i]);
    return ids;
  }
}

/** A binary min-heap of doubles. */
class MinHeap {
  private a: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.a = new Float64Array(Math.max(16, capacity));
  }

  push(v: number): void {
    if (this.size === this.a.length) {
      const grown = new Float64Array(this.a.length * 2);
      grown.set(this.a);
      this.a = grown;
    }
    const a = this.a;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] <= v) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = v;
  }

  pop(): number {
    const a = this.a;
    const top = a[0];
    const last = a[--this.size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && a[c + 1] < a[c]) c++;
      if (a[c] >= last) break;
      a[i] = a[c];
      i = c;
    }
    a[i] = last;
    return top;
  }
}
