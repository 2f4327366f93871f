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
