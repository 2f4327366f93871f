import { ContainerError, readContainer } from './compiled-format.js';

/**
 * A compiled byte-level BPE tokenizer: the tables of src/tokens/compile.ts viewed in place over one buffer. Built
 * in microseconds from a buffer (a SharedArrayBuffer is viewed, not copied, so worker threads share one copy).
 */

/** What the header of a compiled tokenizer says. */
export interface CompiledMeta {
  /** sha256 of the effective tokenizer.json (after any preset patch): what the audit reports. */
  sha256: string;
  /** Number of distinct ids: base vocabulary plus added tokens. */
  vocabSize: number;
  ignoreMerges: boolean;
  /** The isolating pre-token pattern (JavaScript RegExp source and flags); null: a section is one pre-token. */
  split: { source: string; flags: string } | null;
  added: Array<{ content: string; id: number; normalized: boolean }>;
  vocabBits: number;
  mergeBits: number;
  /** @huggingface/tokenizers version that translated the split pattern. */
  library: string;
}

/** GPT-2's byte -> printable character table, used by every byte-level BPE vocabulary. */
export const BYTE_CHARS: readonly string[] = (() => {
  const chars = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    chars[b] = String.fromCharCode(printable ? b : 256 + extra++);
  }
  return chars;
})();

/** Open-addressing tables at most 60% full: probes stay short (linear probing). */
export function tableBitsFor(entries: number): number {
  let bits = 4;
  while ((1 << bits) * 0.6 < entries) bits++;
  return bits;
}

/** FNV-1a over key[start, end): the vocabulary table's hash. */
function hashBytes(key: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ key[i], 0x01000193);
  return h;
}

/**
 * The vocabulary slot holding key[start, end), or the empty slot where it would go. Slots hold id + 1 (0: empty);
 * a slot matches when the id's bytes equal the key.
 */
export function vocabSlot(table: Int32Array, bits: number, tokenBytes: Uint8Array, tokenOffsets: Uint32Array, key: Uint8Array, start: number, end: number): number {
  const mask = (1 << bits) - 1;
  let slot = hashBytes(key, start, end) >>> (32 - bits);
  const len = end - start;
  for (;;) {
    const v = table[slot];
    if (v === 0) return slot;
    const at = tokenOffsets[v - 1];
    if (tokenOffsets[v] - at === len) {
      let i = 0;
      while (i < len && tokenBytes[at + i] === key[start + i]) i++;
      if (i === len) return slot;
    }
    slot = (slot + 1) & mask;
  }
}

/** Where the probe for the pair (left, right) starts: the index of a slot's first int in a table of 2^bits slots. */
const mergeHome = (bits: number, left: number, right: number) => (Math.imul(Math.imul(left, 0x9e3779b1) ^ right, 0x85ebca6b) >>> (32 - bits)) << 2;

/** The merge slot (4 ints: left + 1, right, rank, merged id) of the pair, or the empty slot where it would go. */
export function mergeSlot(table: Int32Array, bits: number, left: number, right: number): number {
  const mask = (4 << bits) - 1;
  let slot = mergeHome(bits, left, right);
  for (;;) {
    const l = table[slot];
    if (l === 0 || (l === left + 1 && table[slot + 1] === right)) return slot;
    slot = (slot + 4) & mask;
  }
}

/**
 * The part of a compiled buffer not read yet, and how to read it: bytes [from, buffer length) are read from the
 * open cache file on first use (src/tokens/compiled-cache.ts), the bytes before `from` are already in the buffer.
 */
export interface PendingBytes {
  readonly from: number;
  /** Read buffer[start, end) from the file; throws (ContainerError) when the file is short or has changed since it was checked. */
  fill(start: number, end: number): void;
  /** Every byte has been read: release the file. */
  done(): void;
}

/**
 * Merge-table pages read one by one before the rest is read in one go. On this VM a page read on its own costs
 * ~60 µs (system calls and a page fault each) and the whole 8 MB ~30 ms, so after ~500 pages (a few records of
 * real text) the single pages have cost what reading everything would: past that, read the rest at once, so a
 * run never pays more than about twice the cheaper choice made in hindsight.
 */
const PAGES_BEFORE_WHOLE = 512;
const PAGE_SHIFT = 12;

export class CompiledTokenizer {
  private readonly bytes: ArrayBufferLike;
  readonly meta: CompiledMeta;
  /** Token id of each byte on its own. */
  readonly byteIds: Int32Array;
  /** Bytes of token id i: tokenBytes[tokenOffsets[i], tokenOffsets[i + 1]) (empty for added tokens). */
  readonly tokenOffsets: Uint32Array;
  readonly tokenBytes: Uint8Array;
  /** UTF-8 byte length of each id's text, added tokens included. */
  readonly byteLens: Int32Array;
  private readonly vocabTable: Int32Array;
  /** Read through merge, mergeRank and mergeResult only: it may still be partly unread (see PendingBytes). */
  private readonly mergeTable: Int32Array;
  /**
   * While the merge table is partly unread: what reads it, and which 4 KB pages of the buffer are present. One
   * record of real text reaches ~120 of its 2,048 pages; reading only those keeps a 1-record run from reading (and
   * page-faulting in) 8 MB it never looks at. The vocabulary table is read whole: one record reaches half its pages.
   */
  private pending: { source: PendingBytes; present: Uint8Array; read: number; pagesBeforeWhole: number } | undefined;

  /** View a compiled buffer; `verify` checks its checksum (do it once per buffer read from disk). */
  static fromBuffer(buffer: ArrayBufferLike, opts: { verify: boolean }): CompiledTokenizer {
    return new CompiledTokenizer(buffer, opts.verify, undefined, 0);
  }

  /**
   * View a buffer whose merge table is read on first use (`pending.from`, where the unread bytes start, must not
   * be before the merge table). Its bytes were trusted by their stamp (compiled-stamp.ts): the checksum would need
   * every byte.
   */
  static fromPartialBuffer(buffer: ArrayBufferLike, pending: PendingBytes, opts: { pagesBeforeWhole?: number } = {}): CompiledTokenizer {
    return new CompiledTokenizer(buffer, false, pending, opts.pagesBeforeWhole ?? PAGES_BEFORE_WHOLE);
  }

  private constructor(buffer: ArrayBufferLike, verify: boolean, pending: PendingBytes | undefined, pagesBeforeWhole: number) {
    const c = readContainer<CompiledMeta>(buffer, { verify });
    this.bytes = buffer;
    this.meta = c.meta;
    this.byteIds = c.section('byteIds') as Int32Array;
    this.tokenOffsets = c.section('tokenOffsets') as Uint32Array;
    this.tokenBytes = c.section('tokenBytes') as Uint8Array;
    this.byteLens = c.section('byteLens') as Int32Array;
    this.vocabTable = c.section('vocabTable') as Int32Array;
    this.mergeTable = c.section('mergeTable') as Int32Array;
    if (pending) {
      const whole = [this.byteIds, this.tokenOffsets, this.tokenBytes, this.byteLens, this.vocabTable];
      if (whole.some((a) => a.byteOffset + a.byteLength > pending.from) || pending.from > this.mergeTable.byteOffset) {
        throw new ContainerError('compiled tokenizer: only the merge table may be read on first use');
      }
      const present = new Uint8Array(Math.ceil(buffer.byteLength / (1 << PAGE_SHIFT)));
      present.fill(1, 0, pending.from >> PAGE_SHIFT);
      this.pending = { source: pending, present, read: 0, pagesBeforeWhole };
    }
  }

  /**
   * The whole buffer, every byte read: what worker threads view (a SharedArrayBuffer is shared, not copied).
   * Reading the rest first means another thread never sees a table with unread pages (it has no way to read them).
   */
  get buffer(): ArrayBufferLike {
    this.loadAll();
    return this.bytes;
  }

  /** Whether every byte of the buffer has been read (always, but for a buffer from fromPartialBuffer). */
  get complete(): boolean {
    return this.pending === undefined;
  }

  /** Read whatever is still unread, in one go. */
  loadAll(): void {
    const p = this.pending;
    if (!p) return;
    // Pages already present are read again with the rest: one read beats skipping around them.
    p.source.fill(p.source.from, this.bytes.byteLength);
    p.source.done();
    this.pending = undefined;
  }

  /** Make buffer bytes [start, end) present (lazy tables only). */
  private reach(start: number, end: number): void {
    const p = this.pending!;
    for (let page = start >> PAGE_SHIFT, last = (end - 1) >> PAGE_SHIFT; page <= last; page++) {
      if (p.present[page]) continue;
      if (++p.read > p.pagesBeforeWhole) return this.loadAll();
      p.source.fill(Math.max(page << PAGE_SHIFT, p.source.from), Math.min((page + 1) << PAGE_SHIFT, this.bytes.byteLength));
      p.present[page] = 1;
    }
  }

  /** Id of the vocabulary token whose bytes are key[start, end), or -1. */
  vocabId(key: Uint8Array, start: number, end: number): number {
    const v = this.vocabTable[vocabSlot(this.vocabTable, this.meta.vocabBits, this.tokenBytes, this.tokenOffsets, key, start, end)];
    return v - 1;
  }

  /** Slot of the merge of (left, right), or -1 when they do not merge: read it with mergeRank and mergeResult. */
  merge(left: number, right: number): number {
    if (this.pending) return this.mergeLazily(left, right);
    const slot = mergeSlot(this.mergeTable, this.meta.mergeBits, left, right);
    return this.mergeTable[slot] === 0 ? -1 : slot;
  }

  /** The rank (position in the merges list) of the merge in `slot`: lower merges first. */
  mergeRank(slot: number): number {
    return this.mergeTable[slot + 2];
  }

  /** The id the merge in `slot` makes. */
  mergeResult(slot: number): number {
    return this.mergeTable[slot + 3];
  }

  /** mergeSlot's probe, each slot (all 16 bytes, so mergeRank and mergeResult find theirs) read before it is looked at. */
  private mergeLazily(left: number, right: number): number {
    const table = this.mergeTable;
    const mask = (4 << this.meta.mergeBits) - 1;
    let slot = mergeHome(this.meta.mergeBits, left, right);
    for (;;) {
      if (this.pending) this.reach(table.byteOffset + slot * 4, table.byteOffset + slot * 4 + 16);
      const l = table[slot];
      if (l === 0) return -1;
      if (l === left + 1 && table[slot + 1] === right) return slot;
      slot = (slot + 4) & mask;
    }
  }
}
