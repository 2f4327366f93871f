import type { TokenEncoder } from './encoder.js';
import type { MaskPolicy, TurnSegment } from './masks.js';
import { segmentIsResponse } from './masks.js';

export interface TokenCounts {
  total: number;
  instruction: number;
  response: number;
}

export interface MaskedTokens extends TokenCounts {
  ids: number[];
  /** Per token: true when trained on (response), false when masked (instruction). */
  trained: boolean[];
  /** Per token: index of the segment it was assigned to. */
  segmentOf: Int32Array;
  /** Per rendered turn: how many tokens start before that turn's text ends. */
  tokensThroughTurn: number[];
}

/** What counting needs to keep of a record's tokens: the counts, and where each turn ends for truncation. */
export interface CountedTokens extends TokenCounts {
  /** Per rendered turn: how many tokens start before that turn's text ends. */
  tokensThroughTurn: number[];
}

/**
 * The counts of `maskTokens` without its per-token arrays, for the tokenize stage (the hot path): one pass over
 * the ids, each token's first byte found by summing token byte lengths as it goes, and the same straddle rule.
 */
export function countTokens(encoder: TokenEncoder, segments: TurnSegment[], policy: MaskPolicy): CountedTokens {
  const byteLens = encoder.tokenByteLengths;
  if (!byteLens) throw new Error(`tokenizer ${encoder.name} is not byte-level BPE: token offsets (masks) are not supported`);
  const n = segments.length;
  // ends[s] = byte offset where segment s ends
  const ends = new Int32Array(n);
  const parts = new Array<string>(n);
  let bytes = 0;
  let turnCount = 0;
  for (let i = 0; i < n; i++) {
    const s = segments[i];
    parts[i] = s.text;
    bytes += Buffer.byteLength(s.text, 'utf8');
    ends[i] = bytes;
    if (s.turn >= turnCount) turnCount = s.turn + 1;
  }
  // join, not +=: it makes one flat string. A string built by += is a rope, and the encoder's per-character reads
  // through it cost ~12% more encoding time (measured on 20,000 real-sentence conversations).
  const text = parts.join('');
  const isResponse = segmentIsResponse(segments, policy);
  const tokensThroughTurn = new Array<number>(turnCount).fill(0);
  const ids = encoder.encodeTransient(text);
  const len = ids.length;
  let t = 0;
  let at = 0;
  let response = 0;
  // Each segment takes the tokens whose first byte lies before its end (the last takes the rest): one tight loop
  // per segment over the token byte lengths.
  for (let s = 0; s < n; s++) {
    const first = t;
    if (s < n - 1) {
      const end = ends[s];
      while (t < len && at < end) at += byteLens[ids[t++]];
    } else {
      while (t < len) at += byteLens[ids[t++]];
    }
    if (t === first) continue;
    if (isResponse[s]) response += t - first;
    const turn = segments[s].turn;
    if (turn >= 0) tokensThroughTurn[turn] = t;
  }
  if (at !== bytes) throw new Error(`token byte lengths sum to ${at}, text has ${bytes} bytes: offsets unavailable`);
  // A turn that got no token of its own ends where the previous one did.
  for (let i = 1; i < turnCount; i++) if (tokensThroughTurn[i] < tokensThroughTurn[i - 1]) tokensThroughTurn[i] = tokensThroughTurn[i - 1];
  return { total: len, instruction: len - response, response, tokensThroughTurn };
}

/**
 * Tokenize the whole rendered text once, as the trainer sees it, then give each token to the segment
 * holding its FIRST byte (the straddle rule, docs/tokens.md). A token's mask is its segment's mask, so
 * instruction + response = total by construction.
 */
export function maskTokens(encoder: TokenEncoder, segments: TurnSegment[], policy: MaskPolicy): MaskedTokens {
  const text = segments.map((s) => s.text).join('');
  const ids = encoder.encode(text);
  const starts = encoder.byteStarts(ids, text);
  const isResponse = segmentIsResponse(segments, policy);
  // ends[s] = byte offset where segment s ends
  const ends = new Array<number>(segments.length);
  let at = 0;
  segments.forEach((s, i) => {
    at += Buffer.byteLength(s.text, 'utf8');
    ends[i] = at;
  });

  const trained = new Array<boolean>(ids.length);
  const segmentOf = new Int32Array(ids.length);
  let seg = 0;
  let response = 0;
  for (let t = 0; t < ids.length; t++) {
    while (seg < segments.length - 1 && starts[t] >= ends[seg]) seg++;
    segmentOf[t] = seg;
    trained[t] = isResponse[seg];
    if (trained[t]) response++;
  }

  const turnCount = segments.reduce((m, s) => Math.max(m, s.turn + 1), 0);
  const tokensThroughTurn = new Array<number>(turnCount).fill(0);
  for (let t = 0; t < ids.length; t++) {
    const turn = segments[segmentOf[t]].turn;
    if (turn >= 0) tokensThroughTurn[turn] = t + 1;
  }
  // A turn that got no token of its own ends where the previous one did.
  for (let i = 0; i < turnCount; i++) tokensThroughTurn[i] = Math.max(tokensThroughTurn[i], i > 0 ? tokensThroughTurn[i - 1] : 0);
  return { ids, trained, segmentOf, tokensThroughTurn, total: ids.length, instruction: ids.length - response, response };
}
