import { createRequire } from 'node:module';
import type { Tokenizer as LibraryTokenizer } from '@huggingface/tokenizers';
import type { TokenizerFiles } from './source.js';
import { ByteLevelBpe, type BpeModelJson } from './byte-bpe.js';
import { CompiledEncoder } from './fast-encoder.js';
import type { PieceCacheSnapshot } from './piece-cache.js';

/** The parts of @huggingface/tokenizers' Tokenizer we drive directly (public at runtime, private in its types). */
interface TokenizerInternals {
  normalizer: unknown;
  pre_tokenizer: { tokenizers?: Array<PreTok & { config?: Record<string, unknown>; constructor: { name: string } }> } | null;
  model: ((tokens: string[]) => string[]) & { tokens_to_ids: Map<string, number>; vocab: string[]; unk_token_id?: number };
  decoder: { constructor: { name: string }; config?: { type?: string } } | null;
  added_tokens: Array<{ content: string; id: number; lstrip: boolean; rstrip: boolean; single_word: boolean }>;
  added_tokens_map: Map<string, { id: number }>;
  splitter_unnormalized: { split(text: string): string[] };
  encode_text(text: string): string[];
}
interface PreTok {
  pre_tokenize(text: string[]): string[];
  pre_tokenize_text(text: string): string[];
}

/** Pre-tokens longer than this are not cached (long runs of whitespace or digits are rare and unique). */
const MAX_CACHED_PIECE = 256;
const CACHE_CAPACITY = 50_000;

/**
 * Text -> token ids. Where the tokenizer was compiled (src/tokens/compile.ts: byte-level BPE without a
 * normalizer, such as Llama 3 and GPT-2 style), CompiledEncoder does all the work over the shared tables, and
 * @huggingface/tokenizers is never built. Otherwise the library does the work: for byte-level BPE with no
 * normalizer it runs the library's added-token splitter, Split pre-tokenizers, ByteLevel mapping and BPE model,
 * with a large cache from raw pre-token to ids in between; any other tokenizer goes through the library unchanged.
 */
export class TokenEncoder {
  readonly name: string;
  readonly sha256: string;
  readonly config: Record<string, unknown>;
  /** Number of distinct ids: base vocabulary plus added tokens. */
  readonly vocabSize: number;
  /** The compiled path; when set, the library fields below are unset. */
  private readonly compiled: CompiledEncoder | undefined;
  private readonly tk!: TokenizerInternals;
  private readonly fast: { splits: PreTok[]; byteLevel: PreTok; splitRe?: RegExp } | undefined;
  private readonly cache = new Map<string, number[]>();
  /** Integer-keyed BPE for cache misses (same ids as the library's model); undefined: the library's model. */
  private readonly bpe: ByteLevelBpe | undefined;
  /** UTF-8 byte length of each id's text, when the tokenizer is byte-level; else undefined. */
  private readonly byteLens: Int32Array | undefined;

  constructor(files: TokenizerFiles) {
    this.name = files.name;
    this.sha256 = files.sha256;
    this.config = files.config;
    if (files.compiled) {
      this.compiled = new CompiledEncoder(files.compiled);
      this.vocabSize = files.compiled.meta.vocabSize;
      this.byteLens = files.compiled.byteLens;
      return;
    }
    this.tk = new (libraryTokenizer())(files.json, files.config) as unknown as TokenizerInternals;
    this.vocabSize = this.tk.model.vocab.length;
    const byteLevel = isByteLevel(this.tk);
    this.fast = byteLevel ? fastPath(this.tk) : undefined;
    if (this.fast) fasterMergeLookup(this.tk.model as unknown as BpeInternals);
    this.bpe = this.fast && process.env.CHATMILL_PURE_JS_BPE !== '1' ? ByteLevelBpe.fromModel(files.json.model as BpeModelJson) : undefined;
    this.byteLens = byteLevel ? byteLengths(this.tk) : undefined;
  }

  /** Whether the compiled tables do the work (false: @huggingface/tokenizers). */
  get isCompiled(): boolean {
    return this.compiled !== undefined;
  }

  /** Whether offsets (and so masks) can be derived exactly from the ids. */
  get hasOffsets(): boolean {
    return this.byteLens !== undefined;
  }

  /** The compiled path's pre-token cache, to warm a worker's encoder with (undefined: the library path). */
  cacheSnapshot(): PieceCacheSnapshot | undefined {
    return this.compiled?.cacheSnapshot();
  }

  /** Start from another thread's `cacheSnapshot` of the same compiled tables, forgetting this cache (ignored on the library path). */
  warmCache(snapshot: PieceCacheSnapshot): void {
    this.compiled?.warmCache(snapshot);
  }

  /** The id of a token string (special or regular), read from the tokenizer. */
  tokenId(token: string): number | undefined {
    if (this.compiled) return this.compiled.tokenId(token);
    return this.tk.added_tokens_map.get(token)?.id ?? this.tk.model.tokens_to_ids.get(token);
  }

  /** Encode without adding special tokens (no BOS): the caller's text already says everything. */
  encode(text: string): number[] {
    if (this.compiled) return this.compiled.encode(text);
    if (!this.fast) return this.tk.encode_text(text).map((t) => this.idOf(t));
    const out: number[] = [];
    const { splits, byteLevel } = this.fast;
    for (const section of this.tk.splitter_unnormalized.split(text)) {
      if (section.length === 0) continue;
      const added = this.tk.added_tokens_map.get(section);
      if (added) {
        out.push(added.id);
        continue;
      }
      const re = this.fast.splitRe;
      if (!re) {
        let pieces = [section];
        for (const s of splits) pieces = s.pre_tokenize(pieces);
        for (const piece of pieces) this.encodePiece(piece, byteLevel, out);
        continue;
      }
      // One Split (Isolated): the pieces are the matches and the text between them, as the library's regex_split.
      re.lastIndex = 0;
      let prev = 0;
      for (let m = re.exec(section); m !== null; m = re.exec(section)) {
        const match = m[0];
        if (m.index > prev) this.encodePiece(section.slice(prev, m.index), byteLevel, out);
        if (match.length) this.encodePiece(match, byteLevel, out);
        else re.lastIndex += (section.codePointAt(re.lastIndex) ?? 0) > 0xffff ? 2 : 1;
        prev = m.index + match.length;
      }
      if (prev < section.length) this.encodePiece(section.slice(prev), byteLevel, out);
    }
    return out;
  }

  private encodePiece(piece: string, byteLevel: PreTok, out: number[]): void {
    const hit = this.cache.get(piece);
    if (hit) {
      for (let i = 0; i < hit.length; i++) out.push(hit[i]);
      return;
    }
    const ids = this.bpe?.encode(piece) ?? this.tk.model(byteLevel.pre_tokenize_text(piece)).map((t) => this.idOf(t));
    if (piece.length < MAX_CACHED_PIECE) {
      if (this.cache.size >= CACHE_CAPACITY) this.cache.clear();
      this.cache.set(detached(piece), ids);
    }
    for (let i = 0; i < ids.length; i++) out.push(ids[i]);
  }

  /**
   * The ids of text, as `encode`, but possibly as a view of a buffer the next call reuses: read them before encoding
   * again. The compiled path allocates nothing per text this way.
   */
  encodeTransient(text: string): ArrayLike<number> {
    return this.compiled ? this.compiled.encodeView(text) : this.encode(text);
  }

  /** UTF-8 byte length of each id's text (byte-level tokenizers only; see `hasOffsets`). */
  get tokenByteLengths(): Int32Array | undefined {
    return this.byteLens;
  }

  /**
   * The UTF-8 byte offset where each token starts, plus the end as a last element. Derived from each
   * id's byte length; the sum is checked against the text so a mismatch can never pass silently.
   */
  byteStarts(ids: number[], text: string): Int32Array {
    if (!this.byteLens) throw new Error(`tokenizer ${this.name} is not byte-level BPE: token offsets (masks) are not supported`);
    const starts = new Int32Array(ids.length + 1);
    let at = 0;
    for (let i = 0; i < ids.length; i++) {
      starts[i] = at;
      at += this.byteLens[ids[i]];
    }
    starts[ids.length] = at;
    const expected = Buffer.byteLength(text, 'utf8');
    if (at !== expected) throw new Error(`token byte lengths sum to ${at}, text has ${expected} bytes: offsets unavailable`);
    return starts;
  }

  private idOf(token: string): number {
    const id = this.tokenId(token) ?? this.tk.model.unk_token_id;
    if (id === undefined) throw new Error(`token ${JSON.stringify(token)} has no id in ${this.name}`);
    return id;
  }
}

/**
 * @huggingface/tokenizers, loaded only when a tokenizer needs it: the compiled path never does, and importing it
 * is a noticeable part of a small run's start-up. Its CommonJS build loads synchronously, so constructors stay sync.
 */
function libraryTokenizer(): typeof LibraryTokenizer {
  return (createRequire(import.meta.url)('@huggingface/tokenizers') as { Tokenizer: typeof LibraryTokenizer }).Tokenizer;
}

function isByteLevel(tk: TokenizerInternals): boolean {
  return tk.decoder?.config?.type === 'ByteLevel' || tk.decoder?.constructor.name.startsWith('ByteLevel') === true;
}

/** The fast path needs: no normalizer, [Split..., ByteLevel(no regex, no prefix space)], plain added tokens. */
function fastPath(tk: TokenizerInternals): { splits: PreTok[]; byteLevel: PreTok; splitRe?: RegExp } | undefined {
  if (tk.normalizer !== null) return undefined;
  const seq = tk.pre_tokenizer?.tokenizers;
  if (!seq || seq.length < 2) return undefined;
  const last = seq[seq.length - 1];
  if (last.config?.type !== 'ByteLevel' || last.config.use_regex !== false || last.config.add_prefix_space) return undefined;
  const splits = seq.slice(0, -1);
  if (!splits.every((s) => s.config?.type === 'Split')) return undefined;
  if (tk.added_tokens.some((t) => t.lstrip || t.rstrip || t.single_word)) return undefined;
  // A single isolating, non-inverted Split is run inline over the library's own compiled pattern.
  const only = splits.length === 1 ? (splits[0] as unknown as { pattern?: unknown; config?: { invert?: boolean; behavior?: string } }) : undefined;
  const splitRe = only && only.pattern instanceof RegExp && only.pattern.global && only.config?.invert === false && only.config.behavior?.toLowerCase() === 'isolated' ? only.pattern : undefined;
  return { splits, byteLevel: last, splitRe };
}

/** In byte-level BPE every character of a regular token stands for exactly one byte. */
function byteLengths(tk: TokenizerInternals): Int32Array {
  const vocab = tk.model.vocab;
  const lens = new Int32Array(vocab.length);
  for (let id = 0; id < vocab.length; id++) lens[id] = vocab[id]?.length ?? 0;
  for (const t of tk.added_tokens) lens[t.id] = Buffer.byteLength(t.content, 'utf8');
  return lens;
}

interface BpeNode {
  token: string;
  next: BpeNode;
  bias: number;
  score?: number;
}
interface BpeInternals {
  merges?: unknown;
  add_node?: (queue: { push(n: BpeNode): void }, node: BpeNode) => void;
}

/**
 * The library looks up a merge's rank with JSON.stringify([a, b]) for every candidate pair, which
 * dominates cold-cache time. Same ranks, same tie-breaking, keyed by `a NUL b` instead; parity with the
 * Rust tokenizer is tested on a varied corpus and the real files.
 */
function fasterMergeLookup(model: BpeInternals): void {
  const merges = model.merges;
  if (!Array.isArray(merges) || typeof model.add_node !== 'function') return;
  const ranks = new Map<string, number>();
  merges.forEach((m: unknown, i: number) => {
    if (Array.isArray(m) && m.length === 2) {
      // Later duplicates win, as in the library's own Map and in Rust's.
      ranks.set(`${m[0]}\u0000${m[1]}`, i);
    }
  });
  model.add_node = (queue, node) => {
    const rank = ranks.get(`${node.token}\u0000${node.next.token}`);
    if (rank !== undefined) {
      node.score = rank + node.bias;
      queue.push(node);
    }
  };
}

/**
 * A copy of a pre-token that does not keep its text alive. A slice of a string is, in V8, a view that holds the whole
 * parent: cached as a key, each pre-token would pin its conversation's rendered text, up to one text per cache
 * entry (hundreds of MB per thread). Prepending and slicing off one character makes a flat copy of the piece.
 */
function detached(piece: string): string {
  return (` ${piece}`).slice(1);
}
