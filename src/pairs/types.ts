import type { Message, ToolSchema } from '../../schemas/chatml.js';
import type { Problem } from '../formats/problem.js';

/** One possible response to a prompt: assistant message(s) and, when the source rates it, a score. */
export interface Candidate {
  messages: Message[];
  /** The aggregated rating; null when the source gives none or it does not parse. */
  score: number | null;
  /** Where the candidate sits in the record, for messages (e.g. `completions[2]`). */
  path: string;
}

/** A record that already names its chosen and rejected side (explicit, implicit, LLaMA-Factory, HH). */
export interface FixedPair {
  kind: 'fixed';
  format: string;
  prompt: Message[];
  chosen: Candidate;
  rejected: Candidate;
  tools?: ToolSchema[];
}

/** A record with several rated (or ranked) responses: a strategy picks the pairs. */
export interface ScoredSet {
  kind: 'scored';
  format: string;
  prompt: Message[];
  candidates: Candidate[];
  tools?: ToolSchema[];
}

/** A KTO record: one completion with a desirable/undesirable label. */
export interface Labelled {
  kind: 'labelled';
  format: string;
  prompt: Message[];
  completion: Message[];
  label: boolean;
  tools?: ToolSchema[];
}

export type Shape = FixedPair | ScoredSet | Labelled;

/** A valid record that yields nothing on purpose (a judged tie): dropped with this reason. */
export interface Skip {
  kind: 'skip';
  reason: string;
  message: string;
}

export type ShapeResult = Shape | Problem;
/** What reading a record gives: a shape, a reason to reject it, or a reason to drop it. */
export type ReadResult = ShapeResult | Skip;

export const isProblem = (r: ReadResult): r is Problem => 'ok' in r && r.ok === false;
export const isSkip = (r: ReadResult): r is Skip => 'kind' in r && r.kind === 'skip';

export type StrategyName = 'best-worst' | 'best-random' | 'all-pairs';
export type Aggregate = 'mean' | 'min' | 'max' | 'overall';

/** Every pairing rule, in one place: CLI flags and the pipeline file both fill this. */
export interface PairOptions {
  strategy: StrategyName;
  /** Pairs whose score margin is below this are dropped (`low_margin`); equal scores are `tie`. */
  minMargin: number;
  seed: number;
  /** How per-aspect ratings become one score; `overall` uses the overall score field. */
  aggregate: Aggregate;
  /** Use only this aspect's rating (UltraFeedback `annotations.<aspect>`). */
  aspect?: string;
  /** KTO records: emit unpaired records (default) or pair desirable/undesirable by prompt. */
  kto: 'unpaired' | 'paired';
}

export const DEFAULT_PAIR_OPTIONS: PairOptions = {
  strategy: 'best-worst',
  minMargin: 0,
  seed: 0,
  aggregate: 'mean',
  kto: 'unpaired',
};
