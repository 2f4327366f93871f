import { createHash } from 'node:crypto';
import { hermesMessages } from '../chatml/hermes-text.js';
import type { Conversation, Message, ToolSchema } from '../../schemas/chatml.js';
import type { ColumnMapping } from './adapter.js';
import { col } from './adapter.js';
import { isObject, own, problem, type Problem } from './problem.js';
import { detectFormat, formatByName, looksLikePreference, unknownFormatHint } from './registry.js';
import { toolsFromSystemPrompt } from './tools.js';
import type { SourceRef } from '../types.js';

export interface NormalizeOptions {
  /** A format name to force instead of detecting per record. */
  format?: string;
  mapping?: ColumnMapping;
  /** Category for records that carry none (from the pipeline's source → category map). */
  category?: string;
}

export type NormalizeResult = { ok: true; conversation: Conversation; warnings: string[] } | Problem;

/**
 * A stable id from the content: the same messages and tools always give the same id. It is taken over the
 * Hermes text of the turns, as the model reads them, so tool records keep the ids they had when their calls
 * were stored as text, and a call written as text or as data gives one id.
 */
export function contentId(messages: Message[], tools?: ToolSchema[]): string {
  return createHash('sha256')
    .update(JSON.stringify([hermesMessages(messages), tools ?? null]))
    .digest('hex')
    .slice(0, 16);
}

/** Turn one parsed input record into the normalized Conversation, or say why it cannot be. */
export function normalizeRecord(record: unknown, ref: SourceRef, opts: NormalizeOptions = {}): NormalizeResult {
  if (!isObject(record)) return problem('not_object', 'a record must be a JSON object', '');
  const mapping = opts.mapping ?? {};
  const input = { record, mapping };
  let adapter = opts.format && opts.format !== 'auto' ? formatByName(opts.format) : detectFormat(input);
  if (opts.format && opts.format !== 'auto' && !adapter) return problem('unknown_format', `no format named ${opts.format}`, '');
  const forced = Boolean(opts.format && opts.format !== 'auto');
  if (!forced && looksLikePreference(record)) return problem('preference_record', unknownFormatHint(record), '');
  if (!adapter) return problem('unknown_format', unknownFormatHint(record), '');
  const result = adapter.convert(input);
  if (!result.ok) return result;

  const messages = result.messages;
  let tools = result.tools;
  const system = messages[0]?.role === 'system' ? messages[0].content : '';
  const hermes = system.includes('<tools>');
  if (!tools && hermes) tools = toolsFromSystemPrompt(system);
  const carry = result.carry ?? {};

  const idKey = col(mapping, 'id');
  const givenId = own(record, idKey);
  const id = carry.id ?? (typeof givenId === 'string' && givenId ? givenId : typeof givenId === 'number' ? String(givenId) : contentId(messages, tools));
  const catKey = col(mapping, 'category');
  const givenCategory = own(record, catKey);
  const category = carry.category ?? (typeof givenCategory === 'string' && givenCategory ? givenCategory : opts.category);

  const consumed = new Set([...result.consumed, idKey, catKey]);
  const leftover = Object.entries(record).filter(([k]) => !consumed.has(k));
  const meta = carry.meta ?? (leftover.length ? Object.fromEntries(leftover) : undefined);

  const conversation: Conversation = {
    id,
    source: carry.source ?? ref.source,
    index: carry.index ?? ref.index,
    format: carry.format ?? formatLabel(adapter.name, hermes, record, mapping),
    messages,
  };
  // Set one by one in this order (the key order of every output), not spread in: each object spread cost ~5 µs
  // a record on Node 20, several times the rest of building the record.
  if (tools) conversation.tools = tools;
  if (category) conversation.category = category;
  if (meta) conversation.meta = meta;
  const warnings = [...result.warnings];
  // KTO files mark undesirable completions with label: false; training SFT on them is rarely intended.
  if (own(record, 'label') === false) warnings.push('kto_undesirable');
  return { ok: true, conversation, warnings };
}

/** `hermes` for records whose system prompt lists <tools>; `parts` for typed-content-part records. */
function formatLabel(name: string, hermes: boolean, record: Record<string, unknown>, mapping: ColumnMapping): string {
  if (hermes) return 'hermes';
  if (name === 'openai') {
    const turns = own(record, col(mapping, 'messages')) as unknown[];
    const typed = turns.some((t) => isObject(t) && Array.isArray(own(t, 'content')) && (own(t, 'content') as unknown[]).some((p) => isObject(p) && Object.hasOwn(p, 'value')));
    if (typed) return 'parts';
  }
  return name;
}
