import type { Conversation } from '../../schemas/chatml.js';
import type { Stage } from '../types.js';
import { keep, reject } from '../types.js';
import { mapStage } from '../stage.js';
import { compileSchema, firstFailure } from './json-schema.js';

/**
 * json_mode: when a record asks for JSON answers against a schema, every assistant answer must parse as JSON
 * (`json_mode_invalid_json`) and fit the schema (`json_mode_schema_violation`, with the JSON pointer of the first
 * failure). The schema comes from a `<schema>…</schema>` block in the system prompt (Hermes' JSON-mode prompt), or
 * from a field of the record (`meta.json_schema` by default; name another column with `schema_field`). A schema that
 * does not parse or compile is `json_mode_invalid_schema`.
 */
export interface JsonModeOptions {
  /** The record field (kept in meta) that may hold the schema, as an object or JSON text. Default `json_schema`. */
  schemaField?: string;
}

const SCHEMA_BLOCK = /<schema>([\s\S]*?)<\/schema>/;

type SchemaSource = { schema: unknown; text: string; at: string } | { error: string; at: string } | undefined;

function schemaOf(c: Conversation, field: string): SchemaSource {
  const meta = c.meta;
  if (meta && Object.hasOwn(meta, field) && meta[field] !== null && meta[field] !== undefined && meta[field] !== '') {
    const v = meta[field];
    return parseSchema(typeof v === 'string' ? v : JSON.stringify(v), field);
  }
  const system = c.messages[0]?.role === 'system' ? c.messages[0].content : '';
  if (!system.includes('<schema>')) return undefined;
  const block = SCHEMA_BLOCK.exec(system);
  if (!block) return { error: 'the system prompt opens a <schema> block and never closes it', at: 'messages[0].content' };
  return parseSchema(block[1], 'messages[0].content');
}

function parseSchema(text: string, at: string): SchemaSource {
  try {
    return { schema: JSON.parse(text), text: text.trim(), at };
  } catch (e) {
    return { error: `the JSON schema is not valid JSON (${(e as Error).message})`, at };
  }
}

/** An answer written as a fenced block is not a JSON-mode answer: the fence is part of the text the model learns. */
function parseAnswer(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

export type JsonModeResult = { ok: true; checked: boolean } | { ok: false; reason: string; message: string; path: string };

/** The rule on one record (pure, for tests and the stage). */
export function checkJsonMode(c: Conversation, o: JsonModeOptions = {}): JsonModeResult {
  const source = schemaOf(c, o.schemaField ?? 'json_schema');
  if (!source) return { ok: true, checked: false };
  if ('error' in source) return { ok: false, reason: 'json_mode_invalid_schema', message: source.error, path: source.at };
  const compiled = compileSchema(source.schema, source.text);
  if (!compiled.ok) return { ok: false, reason: 'json_mode_invalid_schema', message: `the JSON schema does not compile: ${compiled.message}`, path: source.at };
  for (let i = 0; i < c.messages.length; i++) {
    const m = c.messages[i];
    // A turn that calls a tool is not an answer.
    if (m.role !== 'assistant' || m.content.includes('<tool_call>') || (m as { tool_calls?: unknown }).tool_calls) continue;
    const at = `messages[${i}].content`;
    const parsed = parseAnswer(m.content);
    if (!parsed.ok) return { ok: false, reason: 'json_mode_invalid_json', message: `the assistant answer is not JSON, but the record asks for JSON against a schema (${parsed.message})`, path: at };
    const failure = firstFailure(compiled.validate, parsed.value);
    if (failure) {
      const pointer = failure.pointer || '/';
      return { ok: false, reason: 'json_mode_schema_violation', message: `the assistant answer breaks its JSON schema at ${pointer}: ${failure.message}`, path: `${at}#${failure.pointer}` };
    }
  }
  return { ok: true, checked: true };
}

export function jsonModeStage<T extends Conversation>(o: JsonModeOptions = {}): Stage<T, T> {
  return mapStage<T, T>('json_mode', (item) => {
    const r = checkJsonMode(item.value, o);
    if (!r.ok) return reject(item.ref, r.reason, r.message, item.raw, r.path);
    return keep(item.ref, item.value, item.raw);
  });
}
