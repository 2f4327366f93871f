import type { Conversation } from '../../schemas/chatml.js';
import type { Stage } from '../types.js';
import { keep, reject } from '../types.js';
import { mapStage } from '../stage.js';
import { validateConversation, type ValidateOptions } from '../validate/rules.js';
import { firstIllFormedString } from '../validate/json-walk.js';

export interface ValidateStageOptions extends ValidateOptions {
  /**
   * Strip leading and trailing whitespace from every turn. Off by default: it changes token counts,
   * so chatmill only does it when asked.
   */
  trimWhitespace?: boolean;
}

/**
 * `\\uD800`–`\\uDFFF` in JSON text: a surrogate escape inside a string that is itself JSON; or `\u005c`, a
 * backslash written as an escape, which can spell the same thing.
 */
const EMBEDDED_SURROGATE_ESCAPE = /\\\\u[dD][89a-fA-F]|\\u005[cC]/;

export function validateStage(opts: ValidateStageOptions = {}): Stage<Conversation, Conversation> {
  return mapStage('validate', (item, ctx) => {
    let c = item.value;
    if (opts.trimWhitespace) c = { ...c, messages: c.messages.map((m) => ({ ...m, content: m.content.trim() })) };
    // The parse stage checked the record's own text; JSON that an adapter parsed out of a string (a `tools`
    // string, tool-call arguments) can still hold a `\ud800` escape that only now became a lone surrogate. In the
    // record's text such an escape has its backslash escaped (`\\ud800` or `\u005cud800`), so only records holding
    // one of those are walked.
    const bad = EMBEDDED_SURROGATE_ESCAPE.test(item.raw) ? firstIllFormedString({ messages: c.messages, tools: c.tools }) : undefined;
    if (bad !== undefined) {
      return reject(item.ref, 'invalid_unicode', `${bad} holds a lone surrogate (from JSON embedded in a string): not valid Unicode, it cannot be written as UTF-8`, item.raw, bad);
    }
    const result = validateConversation(c, opts);
    if (!result.ok) return reject(item.ref, result.reason, result.message, item.raw, result.path);
    for (const w of result.warnings) ctx.warn(w, item.ref);
    return keep(item.ref, c, item.raw);
  });
}
