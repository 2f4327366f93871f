import type { Conversation } from '../../schemas/chatml.js';
import { turnText } from '../chatml/hermes-text.js';
import { parseCallText } from '../formats/tool-calls.js';
import { problem, type Problem } from '../formats/problem.js';
import { multimodalProblem } from '../checks/multimodal.js';

export interface ValidateOptions {
  /** A turn longer than this many characters gets a `very_long_turn` warning. */
  longTurnChars?: number;
}

export type ValidateResult = { ok: true; warnings: string[] } | Problem;

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const PLACEHOLDER = /\{\{\s*[A-Za-z_][\w.]*\s*\}\}/;
const CALL_BLOCK = /<tool_call>([\s\S]*?)<\/tool_call>/g;

/**
 * The structural rules a ChatML training record must meet (errors reject it) and the smells worth
 * counting (warnings keep it). Content is never changed here.
 */
export function validateConversation(c: Conversation, opts: ValidateOptions = {}): ValidateResult {
  const longTurn = opts.longTurnChars ?? 20_000;
  const warnings = new Set<string>();
  let assistantTurns = 0;
  // Only records with leftover fields can carry media lists: the common path pays one property test.
  const media = c.meta ? multimodalProblem(c) : undefined;
  if (media) return problem('multimodal_content', media.message, media.path);
  const toolNames = c.tools ? new Set(c.tools.map((t) => t.function.name)) : undefined;

  for (let i = 0; i < c.messages.length; i++) {
    const m = c.messages[i];
    // Judged on the turn's Hermes text, which holds its tool calls and tool result as the model reads them.
    const text = turnText(m);
    const at = `messages[${i}]`;
    if (m.role === 'system' && i > 0) return problem('system_not_first', 'a system turn may only be the first turn', at);
    if (m.role === 'assistant') assistantTurns++;
    if (text.trim() === '') return problem('empty_turn', `the ${m.role} turn is empty`, `${at}.content`);
    if (m.role === 'assistant' && text.includes('<tool_call>')) {
      for (const block of text.matchAll(CALL_BLOCK)) {
        const parsed = parseCallText(block[1], `${at}.content`);
        if (!parsed.ok) return parsed;
        for (const call of parsed.calls) {
          if (!toolNames) warnings.add('tool_call_without_tools');
          else if (!toolNames.has(call.name)) {
            return problem('tool_not_in_tools', `tool call names ${JSON.stringify(call.name)}, which is not in tools`, `${at}.content`);
          }
        }
      }
    }
    if (text !== text.trim()) warnings.add('leading_trailing_whitespace');
    if (text.includes('\uFFFD')) warnings.add('replacement_character');
    if (CONTROL.test(text)) warnings.add('control_characters');
    // includes() first: a native search, 4x cheaper than the RegExp on text that has no `{{` (nearly all).
    if (text.includes('{{') && PLACEHOLDER.test(text)) warnings.add('template_placeholder');
    if (text.length > longTurn) warnings.add('very_long_turn');
  }
  if (assistantTurns === 0) return problem('no_assistant_turn', 'the conversation has no assistant turn', 'messages');
  if (c.messages[0].role !== 'system') warnings.add('no_system_prompt');
  if (!c.messages.some((m) => m.role === 'user')) warnings.add('no_user_turn');
  if (c.messages[c.messages.length - 1].role !== 'assistant') warnings.add('last_turn_not_assistant');
  return { ok: true, warnings: [...warnings] };
}
