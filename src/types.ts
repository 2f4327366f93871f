/**
 * The vocabulary every stage speaks. A record travels as an Outcome: kept (with its value),
 * rejected (with a reason code, where, and the raw text) or dropped (with a reason).
 */

/** Where a record came from: the input file and its 0-based position (line or array element). */
export interface SourceRef {
  source: string;
  index: number;
  /** 1-based line number when the container is line-oriented (JSONL). */
  line?: number;
}

export interface Keep<T> {
  kind: 'keep';
  ref: SourceRef;
  value: T;
  /** The record's original text, carried so a later stage can still reject it with `raw`. */
  raw: string;
}

export interface Rejected {
  kind: 'reject';
  ref: SourceRef;
  reason: string;
  message: string;
  /** Where inside the record the problem is, e.g. `messages[2].content`. Empty for the whole record. */
  path: string;
  raw: string;
  rawTruncated?: boolean;
}

export interface Dropped {
  kind: 'drop';
  ref: SourceRef;
  reason: string;
  message: string;
  id?: string;
  duplicateOf?: string;
  /** The evidence behind the drop, written as extra fields of its dropped.jsonl line (e.g. a mix group's budget). */
  detail?: Record<string, unknown>;
}

export type Outcome<T> = Keep<T> | Rejected | Dropped;

/** What a stage may tell the runner besides its outcomes. */
export interface StageContext {
  /** Count a warning: the record is kept, the warning is tallied per code and per file. */
  warn(code: string, ref: SourceRef): void;
  /** Record which input format a record was read as (for the per-file summary). */
  noteFormat(ref: SourceRef, format: string): void;
}

/**
 * A stage maps a stream of kept items to a stream of outcomes. It must be lazy (pull-based) so the
 * whole chain keeps backpressure, and must emit every outcome for one input before pulling the next.
 */
export interface Stage<I = unknown, O = unknown> {
  name: string;
  run(input: AsyncIterable<Keep<I>>, ctx: StageContext): AsyncIterable<Outcome<O>>;
  /** Called once after the stream is exhausted (flush files, write reports). */
  finish?(): Promise<void>;
}

export const keep = <T>(ref: SourceRef, value: T, raw: string): Keep<T> => ({ kind: 'keep', ref, value, raw });

export const reject = (
  ref: SourceRef,
  reason: string,
  message: string,
  raw: string,
  path = '',
): Rejected => ({ kind: 'reject', ref, reason, message, path, raw });

export const drop = (ref: SourceRef, reason: string, message: string, extra: Partial<Dropped> = {}): Dropped => ({
  kind: 'drop',
  ref,
  reason,
  message,
  ...extra,
});

/** A bad configuration or unreadable input: the CLI exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The runner's books do not balance: a record was lost. The CLI exits 1. */
export class ConservationError extends Error {
  override name = 'ConservationError';
}
