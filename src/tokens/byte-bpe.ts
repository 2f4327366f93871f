import { BYTE_CHARS } from './compiled.js';

/**
 * Byte-level BPE on integer ids, for pre-tokens the encoder's cache has not seen. Same result as the BPE
 * model of @huggingface/tokenizers and of the Rust `tokenizers` (parity tests: test/tokens/fast-path.test.ts):
 * repeatedly merge the adjacent pair with the lowest merge rank, leftmost first on ties, which is what the Rust
 * priority queue (ordered by rank, then position) does. With `ignore_merges`, a pre-token that is itself in the
 * vocabulary is one token. The difference from the library is speed: pairs are looked up by number, not by a
 * JSON string of two strings.
 */

const ID_BITS = 2 ** 18;
/** Longer pre-tokens (rare: huge runs without spaces) go to the library, whose heap handles them in n log n. */
export const MAX_FAST_PIECE_BYTES = 1024;

export interface BpeModelJson {
  type?: string;
  vocab?: Record<string, number>;
  merges?: Array<string | [string, string]>;
  ignore_merges?: boolean;
  dropout?: number | null;
  byte_fallback?: boolean;
  continuing_subword_prefix?: string | null;
  end_of_word_suffix?: string | null;
}

export class ByteLevelBpe {
  private readonly byteIds = new Int32Array(256);
  private readonly byteChars = BYTE_CHARS;
  /** (left id * 2^18 + right id) -> (rank * 2^18 + merged id). */
  private readonly merges = new Map<number, number>();
  private readonly vocab: Map<string, number>;
  private readonly ignoreMerges: boolean;
  private bytes = new Uint8Array(4 * MAX_FAST_PIECE_BYTES);
  private readonly encoder = new TextEncoder();

  /** Undefined when the model uses anything this class does not implement (the library then does all the work). */
  static fromModel(model: BpeModelJson): ByteLevelBpe | undefined {
    if (model.type !== 'BPE' || !model.vocab || !Array.isArray(model.merges)) return undefined;
    if (model.dropout || model.byte_fallback || model.continuing_subword_prefix || model.end_of_word_suffix) return undefined;
    const vocab = new Map(Object.entries(model.vocab));
    for (const id of vocab.values()) if (!Number.isInteger(id) || id < 0 || id >= ID_BITS) return undefined;
    const bpe = new ByteLevelBpe(vocab, model.ignore_merges === true);
    for (let b = 0; b < 256; b++) {
      const id = vocab.get(bpe.byteChars[b]);
      if (id === undefined) return undefined;
      bpe.byteIds[b] = id;
    }
    model.merges.forEach((m, rank) => {
      const [a, b] = typeof m === 'string' ? splitMerge(m) : m;
      const left = vocab.get(a);
      const right = vocab.get(b);
      const merged = vocab.get(a + b);
      // A merge whose parts are not in the vocabulary can never fire; later duplicates win, as in Rust.
      if (left !== undefined && right !== undefined && merged !== undefined) bpe.merges.set(left * ID_BITS + right, rank * ID_BITS + merged);
    });
    return bpe;
  }

  private constructor(vocab: Map<string, number>, ignoreMerges: boolean) {
    this.vocab = vocab;
    this.ignoreMerges = ignoreMerges;
  }

  /** Ids of one pre-token (raw text, before byte-level mapping); undefined when it is too long for this path. */
  encode(piece: string): number[] | undefined {
    if (piece.length * 3 > this.bytes.length) return undefined;
    const n = this.encoder.encodeInto(piece, this.bytes).written;
    if (n > MAX_FAST_PIECE_BYTES) return undefined;
    if (this.ignoreMerges) {
      let mapped = '';
      for (let i = 0; i < n; i++) mapped += this.byteChars[this.bytes[i]];
      const whole = this.vocab.get(mapped);
      if (whole !== undefined) return [whole];
    }
    const sym: number[] = new Array(n);
    for (let i = 0; i < n; i++) sym[i] = this.byteIds[this.bytes[i]];
    // rank[i]: merge value of the pair (sym[i], sym[i+1]), or Infinity.
    const rank: number[] = new Array(Math.max(0, n - 1));
    for (let i = 0; i < n - 1; i++) rank[i] = this.merges.get(sym[i] * ID_BITS + sym[i + 1]) ?? Infinity;
    while (sym.length > 1) {
      let best = 0;
      for (let i = 1; i < rank.length; i++) if (rank[i] < rank[best]) best = i; // strict: leftmost wins ties
      const v = rank[best];
      if (v === Infinity) break;
      sym[best] = v % ID_BITS;
      sym.splice(best + 1, 1);
      rank.splice(best, 1);
      if (best > 0) rank[best - 1] = this.merges.get(sym[best - 1] * ID_BITS + sym[best]) ?? Infinity;
      if (best < sym.length - 1) rank[best] = this.merges.get(sym[best] * ID_BITS + sym[best + 1]) ?? Infinity;
    }
    return sym;
  }
}

/** "a b" -> [a, b]; the old merges format separates the two parts with the first space. */
function splitMerge(m: string): [string, string] {
  const at = m.indexOf(' ');
  return [m.slice(0, at), m.slice(at + 1)];
}
