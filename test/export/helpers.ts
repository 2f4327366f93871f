import { DuckDBInstance } from '@duckdb/node-api';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { readFileSync } from 'node:fs';
import type { Message } from '../../schemas/chatml.js';
import type { ExportRecord } from '../../src/export/rows.js';
import { HERMES_TEXT } from './records.js';

/** DuckDB rows as plain JS (BIGINT -> bigint, LIST/STRUCT -> arrays/objects). */
export async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
  }
}

export const arrayBufferOf = (path: string): ArrayBuffer => {
  const b = readFileSync(path);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

export async function hyRows(path: string): Promise<Record<string, unknown>[]> {
  return (await parquetReadObjects({ file: arrayBufferOf(path) })) as Record<string, unknown>[];
}

export const hyMetadata = (path: string) => parquetMetadata(arrayBufferOf(path));

/**
 * What a row must read back as, written out by hand from the record's fields (not via our row mapper).
 * `structured`: SFT `messages` as JSON turns (compare after withParsedChat); else role/content with Hermes text.
 */
export function expectedRow(r: ExportRecord, opts?: { structured?: boolean }): Record<string, unknown> {
  const structured = opts?.structured === true;
  const get = (k: string) => (r as Record<string, unknown>)[k];
  const big = (k: string) => (get(k) === undefined ? null : BigInt(get(k) as number));
  const flt = (k: string) => (get(k) === undefined || get(k) === null ? null : (get(k) as number));
  const tools = r.tools && r.tools.length ? r.tools : null;
  const base = { id: r.id, source: r.source, index: BigInt(r.index), format: r.format, category: r.category ?? null };
  const m = (k: string) => (get(k) as Message[]).map((x) => ({ role: x.role, content: x.content }));
  if ('messages' in r) {
    return {
      ...base,
      messages: structured ? r.messages : (HERMES_TEXT[r.id] ?? m('messages')),
      tools,
      n_tokens: big('n_tokens'),
      n_instruction_tokens: big('n_instruction_tokens'),
      n_response_tokens: big('n_response_tokens'),
    };
  }
  return {
    ...base,
    prompt: m('prompt'),
    chosen: m('chosen'),
    rejected: m('rejected'),
    tools,
    score_chosen: flt('score_chosen'),
    score_rejected: flt('score_rejected'),
    margin: flt('margin'),
    n_prompt_tokens: big('n_prompt_tokens'),
    n_chosen_tokens: big('n_chosen_tokens'),
    n_rejected_tokens: big('n_rejected_tokens'),
  };
}

/** Parse the `tools` JSON string back so it compares with the record's array. */
export function withParsedTools(row: Record<string, unknown>): Record<string, unknown> {
  return { ...row, tools: row.tools === null || row.tools === undefined ? null : JSON.parse(row.tools as string) };
}

/**
 * A `chat` column (list of JSON turns) read back: each turn parsed, and each call's `arguments` JSON string parsed,
 * so it compares with the record's turns. The string itself must be JSON in Python `json.dumps` spacing.
 */
export function withParsedChat(row: Record<string, unknown>): Record<string, unknown> {
  const turns = (row.messages as string[]).map((t) => JSON.parse(t) as Record<string, unknown>);
  for (const t of turns) {
    for (const c of (t.tool_calls as { function: { arguments: unknown } }[] | undefined) ?? []) {
      const text = c.function.arguments as string;
      if (typeof text !== 'string') throw new Error(`arguments is not a JSON string: ${JSON.stringify(text)}`);
      c.function.arguments = JSON.parse(text);
    }
  }
  return { ...row, messages: turns };
}
