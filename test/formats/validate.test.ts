import { describe, expect, it } from 'vitest';
import { validateConversation } from '../../src/validate/rules.js';
import type { Conversation } from '../../schemas/chatml.js';

const conv = (messages: Conversation['messages'], tools?: Conversation['tools']): Conversation => ({ id: 'i', source: 's', index: 0, format: 'openai', messages, ...(tools ? { tools } : {}) });
const reason = (c: Conversation) => {
  const r = validateConversation(c);
  return r.ok ? r.warnings.sort() : r.reason;
};

describe('validation rules', () => {
  it('errors reject', () => {
    expect(reason(conv([{ role: 'user', content: 'q' }]))).toBe('no_assistant_turn');
    expect(reason(conv([{ role: 'user', content: ' ' }, { role: 'assistant', content: 'a' }]))).toBe('empty_turn');
    expect(reason(conv([{ role: 'user', content: 'q' }, { role: 'system', content: 's' }, { role: 'assistant', content: 'a' }]))).toBe('system_not_first');
    const call = { role: 'assistant' as const, content: '<tool_call>\n{"name": "nope", "arguments": {}}\n</tool_call>' };
    expect(reason(conv([{ role: 'user', content: 'q' }, call], [{ type: 'function', function: { name: 'yes' } }]))).toBe('tool_not_in_tools');
    expect(reason(conv([{ role: 'user', content: 'q' }, call], []))).toBe('tool_not_in_tools');
  });

  it('warnings keep the record and are named', () => {
    expect(reason(conv([{ role: 'system', content: 'S' }, { role: 'user', content: 'Hi {{name}} ' }, { role: 'assistant', content: 'a\uFFFD\u000C' }]))).toEqual([
      'control_characters',
      'leading_trailing_whitespace',
      'replacement_character',
      'template_placeholder',
    ]);
    expect(reason(conv([{ role: 'user', content: 'q' }, { role: 'assistant', content: 'x'.repeat(20_001) }]))).toEqual(['no_system_prompt', 'very_long_turn']);
    expect(reason(conv([{ role: 'system', content: 's' }, { role: 'assistant', content: 'a' }]))).toEqual(['no_user_turn']);
  });
});
