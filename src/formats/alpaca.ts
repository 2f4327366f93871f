import type { Message } from '../../schemas/chatml.js';
import { col, type FormatAdapter } from './adapter.js';
import { describe, own, problem } from './problem.js';

/**
 * Alpaca records: {instruction, input, output, system?, history?}. The user turn is the instruction,
 * followed by "\n" and the input when the input is not empty (an empty input is normal).
 * `history` is a list of [user, assistant] pairs that come before.
 */
export const alpacaFormat: FormatAdapter = {
  name: 'alpaca',
  description: 'Alpaca: {"instruction", "input", "output", "system"?, "history"?: [[user, assistant], ...]}',
  // An instruction with an input or an output; one with neither (self-instruct seeds) is another shape.
  detect: ({ record, mapping }) =>
    typeof own(record, col(mapping, 'instruction')) === 'string' &&
    (Object.hasOwn(record, col(mapping, 'output')) || Object.hasOwn(record, col(mapping, 'input'))),
  convert({ record, mapping }) {
    const keys = ['instruction', 'input', 'output', 'system', 'history'].map((k) => col(mapping, k));
    const [instruction, input, output, system, history] = keys.map((k) => own(record, k));
    if (typeof instruction !== 'string') return problem('invalid_field', 'instruction must be a string', keys[0]);
    if (input !== undefined && input !== null && typeof input !== 'string') return problem('invalid_field', `input must be a string, got ${describe(input)}`, keys[1]);
    if (output === undefined || output === null) return problem('no_assistant_turn', 'the record has no output', keys[2]);
    if (typeof output !== 'string') return problem('invalid_field', `output must be a string, got ${describe(output)}`, keys[2]);
    const messages: Message[] = [];
    if (typeof system === 'string' && system.length) messages.push({ role: 'system', content: system });
    if (history !== undefined && history !== null) {
      if (!Array.isArray(history)) return problem('invalid_field', 'history must be a list of [user, assistant] pairs', keys[4]);
      for (let i = 0; i < history.length; i++) {
        const pair = history[i];
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
          return problem('invalid_field', 'each history entry must be [user, assistant] strings', `${keys[4]}[${i}]`);
        }
        messages.push({ role: 'user', content: pair[0] }, { role: 'assistant', content: pair[1] });
      }
    }
    const user = typeof input === 'string' && input.length ? `${instruction}\n${input}` : instruction;
    messages.push({ role: 'user', content: user }, { role: 'assistant', content: output });
    return { ok: true, messages, calls: [], warnings: [], consumed: keys };
  },
};
