import type { Role } from '../../schemas/chatml.js';

/**
 * One piece of rendered text and what it is. `prefix` is text before the first turn that belongs to no
 * turn (the BOS token); the other kinds follow src/chatml/render.ts: role header, content, the closing
 * end-of-turn token, and whatever follows it up to the next turn.
 */
export interface TurnSegment {
  kind: 'prefix' | 'header' | 'content' | 'eos' | 'separator';
  role?: Role;
  /** Index of the turn in the rendered message list; -1 for `prefix`. */
  turn: number;
  text: string;
}

/** Which tokens are trained on (response) and which are context (instruction). Axolotl's defaults. */
export interface MaskPolicy {
  /** `turn`: the end-of-turn token of a trained turn is trained; `all`: every turn's; `none`: never. */
  trainOnEos: 'turn' | 'none' | 'all';
  rolesToTrain: Role[];
  /** Train only the last turn whose role is trained (earlier ones become instruction). */
  lastTurnOnly: boolean;
}

export const DEFAULT_POLICY: MaskPolicy = { trainOnEos: 'turn', rolesToTrain: ['assistant'], lastTurnOnly: false };

/** The turns whose content is trained, under the policy. */
export function trainedTurns(segments: TurnSegment[], policy: MaskPolicy): Set<number> {
  const turns = new Set<number>();
  for (const s of segments) if (s.kind === 'content' && s.role && policy.rolesToTrain.includes(s.role)) turns.add(s.turn);
  if (policy.lastTurnOnly && turns.size > 1) {
    const last = Math.max(...turns);
    return new Set([last]);
  }
  return turns;
}

/** Per segment: is it response (trained) text? Headers, separators and the prefix never are. */
export function segmentIsResponse(segments: TurnSegment[], policy: MaskPolicy): boolean[] {
  const trained = trainedTurns(segments, policy);
  return segments.map((s) => {
    if (s.kind === 'content') return trained.has(s.turn);
    if (s.kind === 'eos') return policy.trainOnEos === 'all' || (policy.trainOnEos === 'turn' && trained.has(s.turn));
    return false;
  });
}
