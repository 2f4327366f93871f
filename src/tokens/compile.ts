import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeContainer } from './compiled-format.js';
import { BYTE_CHARS, type CompiledMeta, mergeSlot, tableBitsFor, vocabSlot } from './compiled.js';

/**
 * tokenizer.json -> the compiled tokenizer's bytes (src/tokens/compiled-format.ts), for the byte-level BPE
 * tokenizers the fast path serves: no normalizer, pre-tokenizer [one isolating Split] + ByteLevel (or ByteLevel
 * with its own regex), BPE without dropout, byte fallback or affixes, a ByteLevel decoder, and added tokens
 * without lstrip/rstrip/single_word. Anything else gets a reason, and @huggingface/tokenizers does the work.
 *
 * The split pattern is translated to a JavaScript RegExp by @huggingface/tokenizers itself (its
 * SplitPreTokenizer), once, here: the same translation its own encode() uses, which the parity tests hold
 * against the Rust tokenizer. The library is imported only when compiling.
 */

export type CompileResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

interface AddedTokenJson {
  id: number;
  content: string;
  lstrip?: boolean;
  rstrip?: boolean;
  single_word?: boolean;
  normalized?: boolean;
}
interface PreTokJson {
  type?: string;
  pretokenizers?: PreTokJson[];
  behavior?: string;
  invert?: boolean;
  pattern?: unknown;
  use_regex?: boolean;
  add_prefix_space?: boolean;
}

/** The version of @huggingface/tokenizers whose regex translation a compiled file holds (part of the cache key). */
export function libraryVersion(): string {
  try {
    const main = fileURLToPath(import.meta.resolve('@huggingface/tokenizers'));
    return (JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function splitPattern(pre: PreTokJson | null | undefined): Promise<{ split: CompiledMeta['split'] } | { reason: string }> {
  const seq = pre?.type === 'Sequence' ? (pre.pretokenizers ?? []) : pre ? [pre] : [];
  const last = seq.at(-1);
  if (last?.type !== 'ByteLevel') return { reason: 'the pre-tokenizer does not end with ByteLevel' };
  if (last.add_prefix_space !== false) return { reason: 'ByteLevel adds a prefix space' };
  if (typeof last.use_regex !== 'boolean') return { reason: 'ByteLevel does not say whether it splits' };
  const splits = seq.slice(0, -1);
  // Exported at runtime, though not in the package's types.
  const lib = (await import('@huggingface/tokenizers')) as unknown as Record<'ByteLevelPreTokenizer' | 'SplitPreTokenizer', new (config: PreTokJson) => { pattern: RegExp | null }>;
  if (last.use_regex) {
    if (splits.length) return { reason: 'Split before a splitting ByteLevel' };
    const re = new lib.ByteLevelPreTokenizer(last).pattern;
    if (!(re instanceof RegExp)) return { reason: 'ByteLevel has no split pattern' };
    return { split: { source: re.source, flags: re.flags } };
  }
  if (splits.length === 0) return { split: null };
  if (splits.length > 1) return { reason: `${splits.length} Split pre-tokenizers` };
  const s = splits[0];
  if (s.type !== 'Split' || s.invert !== false || s.behavior?.toLowerCase() !== 'isolated') return { reason: 'the Split is not isolating and non-inverted' };
  const re = new lib.SplitPreTokenizer(s).pattern;
  if (!(re instanceof RegExp) || !re.global) return { reason: 'the Split pattern did not translate to a global RegExp' };
  return { split: { source: re.source, flags: re.flags } };
}

/** Compile a parsed tokenizer.json; `sha256` is the effective file's hash, kept in the header. */
export async function compileTokenizer(json: Record<string, unknown>, sha256: string): Promise<CompileResult> {
  if (json.normalizer !== null && json.normalizer !== undefined) return { ok: false, reason: 'it has a normalizer' };
  if ((json.decoder as { type?: string } | null)?.type !== 'ByteLevel') return { ok: false, reason: 'its decoder is not ByteLevel' };
  const model = json.model as { type?: string; vocab?: Record<string, number>; merges?: unknown[]; ignore_merges?: boolean; dropout?: unknown; byte_fallback?: unknown; continuing_subword_prefix?: unknown; end_of_word_suffix?: unknown } | undefined;
  if (!model || model.type !== 'BPE' || !model.vocab || !Array.isArray(model.merges)) return { ok: false, reason: 'its model is not BPE with a vocabulary and merges' };
  if (model.dropout || model.byte_fallback || model.continuing_subword_prefix || model.end_of_word_suffix) return { ok: false, reason: 'its BPE uses dropout, byte fallback or affixes' };
  const added = (json.added_tokens as AddedTokenJson[] | undefined) ?? [];
  if (added.some((t) => t.lstrip || t.rstrip || t.single_word)) return { ok: false, reason: 'an added token strips or is single-word' };
  const pre = await splitPattern(json.pre_tokenizer as PreTokJson | null);
  if ('reason' in pre) return { ok: false, reason: pre.reason };

  const byteOf = new Map<string, number>();
  BYTE_CHARS.forEach((c, b) => byteOf.set(c, b));
  const entries = Object.entries(model.vocab);
  let vocabSize = 0;
  for (const [, id] of entries) {
    if (!Number.isInteger(id) || id < 0 || id >= 2 ** 30) return { ok: false, reason: `vocabulary id ${id} out of range` };
    vocabSize = Math.max(vocabSize, id + 1);
  }
  for (const t of added) {
    if (!Number.isInteger(t.id) || t.id < 0 || t.id >= 2 ** 30) return { ok: false, reason: `added token id ${t.id} out of range` };
    vocabSize = Math.max(vocabSize, t.id + 1);
  }

  // Vocabulary byte strings, by id.
  const bytesOf: Array<Uint8Array | undefined> = new Array(vocabSize);
  let totalBytes = 0;
  for (const [token, id] of entries) {
    const b = new Uint8Array(token.length);
    for (let i = 0; i < token.length; i++) {
      const v = byteOf.get(token[i]);
      if (v === undefined) return { ok: false, reason: `vocabulary token ${JSON.stringify(token)} is not byte-level` };
      b[i] = v;
    }
    if (bytesOf[id] === undefined) totalBytes += b.length;
    bytesOf[id] = b;
  }
  const tokenOffsets = new Uint32Array(vocabSize + 1);
  const tokenBytes = new Uint8Array(totalBytes);
  const byteLens = new Int32Array(vocabSize);
  for (let id = 0, at = 0; id < vocabSize; id++) {
    tokenOffsets[id] = at;
    const b = bytesOf[id];
    if (b) {
      tokenBytes.set(b, at);
      at += b.length;
      byteLens[id] = b.length;
    }
    tokenOffsets[id + 1] = at;
  }
  for (const t of added) byteLens[t.id] = Buffer.byteLength(t.content, 'utf8');

  const byteIds = new Int32Array(256);
  for (let b = 0; b < 256; b++) {
    const id = model.vocab[BYTE_CHARS[b]];
    if (id === undefined) return { ok: false, reason: `byte ${b} has no token` };
    byteIds[b] = id;
  }

  const vocabBits = tableBitsFor(entries.length);
  const vocabTable = new Int32Array(1 << vocabBits);
  for (let id = 0; id < vocabSize; id++) {
    if (!bytesOf[id]) continue;
    const slot = vocabSlot(vocabTable, vocabBits, tokenBytes, tokenOffsets, tokenBytes, tokenOffsets[id], tokenOffsets[id + 1]);
    // The same bytes under two ids: the lookup keeps the first, as a JSON object's later key cannot exist.
    if (vocabTable[slot] === 0) vocabTable[slot] = id + 1;
  }

  const vocab = model.vocab;
  const mergeBits = tableBitsFor(model.merges.length);
  const mergeTable = new Int32Array(4 << mergeBits);
  for (let rank = 0; rank < model.merges.length; rank++) {
    const m = model.merges[rank];
    let a: string;
    let b: string;
    if (typeof m === 'string') {
      const at = m.indexOf(' ');
      a = m.slice(0, at);
      b = m.slice(at + 1);
    } else if (Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string') [a, b] = m;
    else return { ok: false, reason: `merge ${rank} is neither "a b" nor [a, b]` };
    const left = vocab[a];
    const right = vocab[b];
    const merged = vocab[a + b];
    // A merge whose parts are not in the vocabulary can never fire; a later duplicate wins, as in Rust.
    if (left === undefined || right === undefined || merged === undefined) continue;
    const slot = mergeSlot(mergeTable, mergeBits, left, right);
    mergeTable[slot] = left + 1;
    mergeTable[slot + 1] = right;
    mergeTable[slot + 2] = rank;
    mergeTable[slot + 3] = merged;
  }

  const meta: CompiledMeta = {
    sha256,
    vocabSize,
    ignoreMerges: model.ignore_merges === true,
    split: pre.split,
    added: added.map((t) => ({ content: t.content, id: t.id, normalized: t.normalized === true })),
    vocabBits,
    mergeBits,
    library: libraryVersion(),
  };
  return { ok: true, bytes: writeContainer(meta, { byteIds, tokenOffsets, tokenBytes, byteLens, vocabTable, mergeTable }) };
}
