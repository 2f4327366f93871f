import type { Conversation } from '../../schemas/chatml.js';
import type { Stage } from '../types.js';
import { keep, reject } from '../types.js';
import { mapStage } from '../stage.js';
import { normalizeRecord, type NormalizeOptions } from '../formats/normalize.js';

/**
 * Parsed record → normalized Conversation. Options can differ per input file (a forced format,
 * a column mapping, a category), so they are looked up by the record's source.
 */
export function normalizeStage(optionsFor: (source: string) => NormalizeOptions): Stage<Record<string, unknown>, Conversation> {
  return mapStage('normalize', (item, ctx) => {
    const result = normalizeRecord(item.value, item.ref, optionsFor(item.ref.source));
    if (!result.ok) return reject(item.ref, result.reason, result.message, item.raw, result.path);
    ctx.noteFormat(item.ref, result.conversation.format);
    for (const w of result.warnings) ctx.warn(w, item.ref);
    return keep(item.ref, result.conversation, item.raw);
  });
}
