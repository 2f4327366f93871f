import { readContainer } from './compiled-format.js';

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

/** The merge slot (4 ints: left + 1, right, rank, merged id) of the pair, or the empty slot where it would go. */
export function mergeSlot(table: Int32Array, bits: number, left: number, right: number): number {
  const mask = (4 << bits) - 1;
  let slot = (Math.imul(Math.imul(left, 0x9e3779b1) ^ right, 0x85ebca6b) >>> (32 - bits)) << 2;
  for (;;) {
    const l = table[slot];
    if (l === 0 || (l === left + 1 && table[slot + 1] === right)) return slot;
    slot = (slot + 4) & mask;
  }
}

export class CompiledTokenizer {
  readonly buffer: ArrayBufferLike;
  readonly meta: CompiledMeta;
  /** Token id of each byte on its own. */
  readonly byteIds: Int32Array;
  /** Bytes of token id i: tokenBytes[tokenOffsets[i], tokenOffsets[i + 1]) (empty for added tokens). */
  readonly tokenOffsets: Uint32Array;
  readonly tokenBytes: Uint8Array;
  /** UTF-8 byte length of each id's text, added tokens included. */
  readonly byteLens: Int32Array;
  readonly vocabTable: Int32Array;
  readonly mergeTable: Int32Array;

  /** View a compiled buffer; `verify` checks its checksum (do it once per buffer read from disk). */
  static fromBuffer(buffer: ArrayBufferLike, opts: { verify: boolean }): CompiledTokenizer {
    return new CompiledTokenizer(buffer, opts.verify);
  }

  private constructor(buffer: ArrayBufferLike, verify: boolean) {
    const c = readContainer<CompiledMeta>(buffer, { verify });
    this.buffer = buffer;
    this.meta = c.meta;
    this.byteIds = c.section('byteIds') as Int32Array;
    this.tokenOffsets = c.section('tokenOffsets') as Uint32Array;
    this.tokenBytes = c.section('tokenBytes') as Uint8Array;
    this.byteLens = c.section('byteLens') as Int32Array;
    this.vocabTable = c.section('vocabTable') as Int32Array;
    this.mergeTable = c.section('mergeTable') as Int32Array;
  }

  /** Id of the vocabulary token whose bytes are key[start, end), or -1. */
  vocabId(key: Uint8Array, start: number, end: number): number {
    const v = this.vocabTable[vocabSlot(this.vocabTable, this.meta.vocabBits, this.tokenBytes, this.tokenOffsets, key, start, end)];
    return v - 1;
  }

  /** Slot of the merge of (left, right), or -1 when they do not merge: read it with mergeRank and mergeResult. */
  merge(left: number, right: number): number {
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
}
