import { col, type FormatAdapter } from './adapter.js';
import { own, problem } from './problem.js';
import { normalizeTurns } from './turns.js';

const TURN = /<\|im_start\|>([^\n]*)\n([\s\S]*?)<\|im_end\|>/g;

/**
 * ChatML text: {text: "<|im_start|>role\ncontent<|im_end|>\n..."}. Only whitespace may stand between
 * turns; anything else (a missing <|im_end|>, stray text) is a reject, never silently dropped.
 */
export const chatmlTextFormat: FormatAdapter = {
  name: 'chatml',
  description: 'ChatML text: {"text": "<|im_start|>user\\n...<|im_end|>\\n<|im_start|>assistant\\n...<|im_end|>"}',
  detect: ({ record, mapping }) => {
    const text = own(record, col(mapping, 'text'));
    return typeof text === 'string' && text.includes('<|im_start|>');
  },
  convert({ record, mapping }) {
    const key = col(mapping, 'text');
    const text = own(record, key) as string;
    const turns: { role: string; content: string }[] = [];
    let last = 0;
    for (const m of text.matchAll(TURN)) {
      if (text.slice(last, m.index).trim()) {
        return problem('invalid_chatml', `text outside a turn at character ${last}`, key);
      }
      turns.push({ role: m[1].trim(), content: m[2] });
      last = m.index + m[0].length;
    }
    if (text.slice(last).trim()) return problem('invalid_chatml', `unterminated turn or stray text at character ${last}`, key);
    const normalized = normalizeTurns(turns, { path: key, roles: mapping.roles });
    if (!normalized.ok) return { ...normalized, path: key };
    return Object.assign({}, normalized, { consumed: [key] }); // not a spread: ~5 µs a record on Node 20
  },
};
