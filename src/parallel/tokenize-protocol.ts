import type { Message, ToolSchema } from '../../schemas/chatml.js';
import type { MaskPolicy } from '../tokens/masks.js';
import type { PieceCacheSnapshot } from '../tokens/piece-cache.js';
import type { OverLengthPolicy, TokenizeDecision } from '../tokens/stage.js';

/** Everything a tokenize worker needs to build its tokenizer and template (plain, cloneable data; its first message). */
export interface TokenizeWorkerData {
  name: string;
  sha256: string;
  /** The compiled tables, shared with the main thread and every other worker (a SharedArrayBuffer is not copied). */
  compiled?: SharedArrayBuffer;
  /** Without compiled tables: tokenizer.json as text (one string clones far faster than the parsed object). */
  jsonText?: string;
  config: Record<string, unknown>;
  template: { kind: 'chatml' | 'tokenizer'; date?: string; name?: string };
  policy: MaskPolicy;
  maxLength: number;
  overLength: OverLengthPolicy;
  /** PROGRESS_SLOTS Int32s the workers count in (Atomics), so the main thread sees their state without a message. */
  progress?: SharedArrayBuffer;
}

/** Slots of TokenizeWorkerData.progress: batches answered (done or failed), and workers started successfully. */
export const BATCHES_ANSWERED = 0;
export const WORKERS_STARTED = 1;
export const PROGRESS_SLOTS = 2;

export interface TokenizeWorkerInfo {
  vocabSize: number;
  hasOffsets: boolean;
  templateName: string;
}

/** A batch as sent: only what rendering reads. */
export type TokenizeJob = Array<[Message[], ToolSchema[] | undefined]>;

/**
 * What a tokenize worker receives: first its data (WorkerPool.start), then jobs (WorkerPool.run), and before its
 * first job possibly the main thread's pre-token cache to start from.
 */
export type TokenizeWorkerMessage = { init: TokenizeWorkerData } | { id: number; req: TokenizeJob } | { warm: PieceCacheSnapshot };

/**
 * A batch's decisions, packed: 4 numbers per record (code, n_tokens, n_instruction, n_response; for `cut` a 5th
 * slot holds the message count kept) and messages only for drops and rejects.
 */
export interface PackedDecisions {
  nums: Int32Array;
  messages: Record<number, string>;
}

const WIDTH = 5;
const CODES = ['keep', 'keep-over', 'cut', 'drop', 'reject'] as const;

export function packDecisions(ds: TokenizeDecision[]): PackedDecisions {
  const nums = new Int32Array(ds.length * WIDTH);
  const messages: Record<number, string> = {};
  ds.forEach((d, i) => {
    const at = i * WIDTH;
    if (d.kind === 'keep' || d.kind === 'cut') {
      nums[at] = d.kind === 'cut' ? 2 : d.over ? 1 : 0;
      nums[at + 1] = d.counts.n_tokens ?? 0;
      nums[at + 2] = d.counts.n_instruction_tokens ?? 0;
      nums[at + 3] = d.counts.n_response_tokens ?? 0;
      if (d.kind === 'cut') nums[at + 4] = d.keepMessages;
    } else {
      nums[at] = d.kind === 'drop' ? 3 : 4;
      messages[i] = d.message;
    }
  });
  return { nums, messages };
}

export function unpackDecisions(p: PackedDecisions): TokenizeDecision[] {
  const out: TokenizeDecision[] = [];
  for (let i = 0; i < p.nums.length / WIDTH; i++) {
    const at = i * WIDTH;
    const code = CODES[p.nums[at]];
    const counts = { n_tokens: p.nums[at + 1], n_instruction_tokens: p.nums[at + 2], n_response_tokens: p.nums[at + 3] };
    if (code === 'keep' || code === 'keep-over') out.push({ kind: 'keep', counts, over: code === 'keep-over' });
    else if (code === 'cut') out.push({ kind: 'cut', counts, keepMessages: p.nums[at + 4] });
    else out.push({ kind: code, message: p.messages[i] ?? '' });
  }
  return out;
}
