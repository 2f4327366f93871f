import type { Message, ToolSchema } from '../../schemas/chatml.js';
import type { Problem } from './problem.js';
import type { ToolCall } from './tool-calls.js';

/** How a record's fields are named, when they are not the standard names (pipeline `columns`/`roles`). */
export interface ColumnMapping {
  /** standard key → the record's key, e.g. {messages: "dialog", role: "speaker", content: "text"} */
  columns?: Record<string, string>;
  /** the record's role names → standard ones, e.g. {bot: "assistant"} */
  roles?: Record<string, string>;
}

export interface AdapterInput {
  record: Record<string, unknown>;
  mapping: ColumnMapping;
}

export type AdapterResult =
  | {
      ok: true;
      messages: Message[];
      tools?: ToolSchema[];
      calls: ToolCall[];
      warnings: string[];
      /** Record keys the adapter used; the rest go to `meta`. */
      consumed: string[];
      /** Fields a native chatmill record carries over unchanged. */
      carry?: { id?: string; source?: string; index?: number; format?: string; category?: string; meta?: Record<string, unknown> };
    }
  | Problem;

export interface FormatAdapter {
  name: string;
  description: string;
  /** Does this record look like this format (with the mapping applied)? */
  detect(input: AdapterInput): boolean;
  convert(input: AdapterInput): AdapterResult;
}

/** The record key that holds a standard field, honouring the column mapping. */
export const col = (mapping: ColumnMapping, key: string): string => mapping.columns?.[key] ?? key;
