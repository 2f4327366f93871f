import type { ColumnSpec, ExportKind } from './columns.js';
import type { Conversation } from '../../schemas/chatml.js';
import type { PreferencePair, UnpairedPreference } from '../../schemas/preference.js';
import type { CellValue } from './arrow-batch.js';
import type { Message } from '../../schemas/chatml.js';
import { hermesMessages } from '../chatml/hermes-text.js';

export type ExportRecord = Conversation | PreferencePair | UnpairedPreference;

/** Reads one column's value straight from a record (no per-row object is built). */
export type ColumnGetter = (record: ExportRecord) => CellValue;

/** Tool schemas differ per row, which breaks Arrow type inference, so they travel as one JSON string. */
const toolsJson = (tools: unknown[] | undefined): string | null => (tools && tools.length ? JSON.stringify(tools) : null);

/**
 * The getter for each column. Every column is named after the record field it holds, except `tools`, which is
 * serialized; an absent field reads as null. A `messages` column (role and content only) gets the turns with
 * their tool calls and results written into `content` as Hermes text, so no call is lost with the structured
 * fields; a `chat` column gets the structured turns.
 */
export function columnGetters(columns: readonly ColumnSpec[]): ColumnGetter[] {
  return columns.map((c): ColumnGetter => {
    if (c.name === 'tools') return (r) => toolsJson(r.tools);
    const name = c.name;
    if (c.type === 'messages') {
      return (r) => {
        const v = (r as unknown as Record<string, CellValue>)[name];
        return Array.isArray(v) ? hermesMessages(v as Message[]) : (v ?? null);
      };
    }
    return (r) => (r as unknown as Record<string, CellValue>)[name] ?? null;
  });
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
