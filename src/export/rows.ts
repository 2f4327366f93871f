import type { Conversation, Message } from '../../schemas/chatml.js';
import type { PreferencePair, UnpairedPreference } from '../../schemas/preference.js';
import type { ColumnSpec, ExportKind } from './columns.js';

/** One table row: column name -> value as Arrow wants it (bigint for int64, null when absent). */
export type Row = Record<string, string | bigint | number | boolean | null | Message[]>;

export type ExportRecord = Conversation | PreferencePair | UnpairedPreference;

const int = (n: number | undefined): bigint | null => (n === undefined ? null : BigInt(n));
const num = (n: number | null | undefined): number | null => (n === undefined ? null : n);
/** Tool schemas differ per row, which breaks Arrow type inference, so they travel as one JSON string. */
const toolsJson = (tools: unknown[] | undefined): string | null => (tools && tools.length ? JSON.stringify(tools) : null);
/** Copy only role/content so extra keys on a message never reach the file. */
const msgs = (m: Message[]): Message[] => m.map(({ role, content }) => ({ role, content }));

function trace(r: ExportRecord): Row {
  return { source: r.source, index: BigInt(r.index), format: r.format, category: r.category ?? null, tools: toolsJson(r.tools) };
}

export function toRow(kind: ExportKind, record: ExportRecord): Row {
  if (kind === 'sft') {
    const r = record as Conversation;
    return {
      id: r.id,
      messages: msgs(r.messages),
      n_tokens: int(r.n_tokens),
      n_instruction_tokens: int(r.n_instruction_tokens),
      n_response_tokens: int(r.n_response_tokens),
      ...trace(r),
    };
  }
  if (kind === 'dpo') {
    const r = record as PreferencePair;
    return {
      id: r.id,
      prompt: msgs(r.prompt),
      chosen: msgs(r.chosen),
      rejected: msgs(r.rejected),
      score_chosen: num(r.score_chosen),
      score_rejected: num(r.score_rejected),
      margin: num(r.margin),
      n_prompt_tokens: int(r.n_prompt_tokens),
      n_chosen_tokens: int(r.n_chosen_tokens),
      n_rejected_tokens: int(r.n_rejected_tokens),
      ...trace(r),
    };
  }
  const r = record as UnpairedPreference;
  return {
    id: r.id,
    prompt: msgs(r.prompt),
    completion: msgs(r.completion),
    label: r.label,
    n_prompt_tokens: int(r.n_prompt_tokens),
    n_completion_tokens: int(r.n_completion_tokens),
    ...trace(r),
  };
}

/**
 * The bytes this row occupies in Arrow memory (values + offsets + validity, rounded), the same measure
 * `datasets` uses for `max_shard_size` and `num_bytes`: it does not depend on the codec.
 */
export function rowBytes(columns: readonly ColumnSpec[], row: Row): number {
  let bytes = 0;
  for (const c of columns) {
    const v = row[c.name];
    bytes += 0.125; // validity bit
    if (c.type === 'messages') {
      bytes += 4; // list offset
      for (const m of (v as Message[] | null) ?? []) {
        bytes += 0.25 + 8 + Buffer.byteLength(m.role) + Buffer.byteLength(m.content);
      }
    } else if (c.type === 'string') bytes += 4 + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
    else if (c.type === 'bool') bytes += 0.125;
    else bytes += 8;
  }
  return bytes;
}

/** Which kind a parsed JSON object is, judged by its keys; null when it is none of ours. */
export function detectKind(obj: unknown): ExportKind | null {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return null;
  const has = (k: string) => Object.prototype.hasOwnProperty.call(obj, k);
  if (has('chosen') && has('rejected')) return 'dpo';
  if (has('completion') && has('label')) return 'kto';
  if (has('messages')) return 'sft';
  return null;
}
