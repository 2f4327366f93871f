import { describe, expect, it } from 'vitest';
import { normalizeRecord } from '../../src/formats/normalize.js';

const ref = { source: 'pc.jsonl', index: 0 };
const ok = (record: unknown, opts = {}) => {
  const r = normalizeRecord(record, ref, opts);
  if (!r.ok) throw new Error(`${r.reason}: ${r.message} at ${r.path}`);
  return r;
};
const fail = (record: unknown, opts = {}) => {
  const r = normalizeRecord(record, ref, opts);
  if (r.ok) throw new Error('expected a problem');
  return [r.reason, r.path];
};

// Records written from TRL's "Dataset formats and types" guide (prompt-completion type, standard and
// conversational format): the completion is the trained part, so it is the assistant turn.
describe('TRL prompt-completion records (SFT)', () => {
  it('standard form: the prompt text is the user turn, the completion text the assistant turn, kept byte for byte', () => {
    const r = ok({ prompt: 'The sky is', completion: ' blue.' });
    expect(r.conversation.format).toBe('prompt_completion');
    expect(r.conversation.messages).toEqual([
      { role: 'user', content: 'The sky is' },
      { role: 'assistant', content: ' blue.' },
    ]);
    expect(r.conversation.meta).toBeUndefined();
  });

  it('conversational form: prompt messages, then the completion messages', () => {
    const r = ok({
      prompt: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What color is the sky?' }],
      completion: [{ role: 'assistant', content: 'It is blue.' }],
    });
    expect(r.conversation.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What color is the sky?' },
      { role: 'assistant', content: 'It is blue.' },
    ]);
    expect(r.warnings).not.toContain('assistant_in_prompt');
  });

  it('a tool result in the completion finds the call made in the completion; tools are read as the openai adapter reads them', () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }];
    const prompt = [{ role: 'user', content: 'Weather in Oslo?' }];
    const completion = [
      { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Oslo"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: '{"temp": -3}' },
      { role: 'assistant', content: 'It is -3 °C.' },
    ];
    const pc = ok({ prompt, completion, tools }).conversation;
    // The same conversation as an OpenAI chat record must normalize to the same messages and tools.
    const openai = ok({ messages: [...prompt, ...completion], tools }).conversation;
    expect(pc.messages).toEqual(openai.messages);
    expect(pc.tools).toEqual(openai.tools);
    expect(pc.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
  });

  it('keeps fields it does not use in meta, and honours a column mapping (field and role names)', () => {
    const mapped = ok(
      { question: [{ speaker: 'human', text: 'Hi' }], answer: 'Hello!', source_id: 7 },
      { mapping: { columns: { prompt: 'question', completion: 'answer', role: 'speaker', content: 'text' }, roles: { human: 'user' } } },
    ).conversation;
    expect(mapped.format).toBe('prompt_completion');
    expect(mapped.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
    ]);
    expect(mapped.meta).toEqual({ source_id: 7 });
  });

  it('warns when the prompt holds assistant turns: TRL trains only the completion, chatmill masks every assistant turn', () => {
    const r = ok({
      prompt: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: 'Name a color.' },
      ],
      completion: [{ role: 'assistant', content: 'Blue.' }],
    });
    expect(r.warnings).toContain('assistant_in_prompt');
    expect(r.conversation.messages).toHaveLength(4);
  });

  it('rejects a completion that holds a user turn, an empty completion list, and a side that is neither text nor messages', () => {
    expect(fail({ prompt: 'Hi', completion: [{ role: 'user', content: 'me again' }] })).toEqual(['invalid_completion', 'completion[0]']);
    expect(fail({ prompt: 'Hi', completion: [] })).toEqual(['no_assistant_turn', 'completion']);
    expect(fail({ prompt: 42, completion: 'x' })).toEqual(['invalid_messages', 'prompt']);
    expect(fail({ prompt: [{ role: 'user', content: 'Hi' }], completion: [{ role: 'wizard', content: 'x' }] })).toEqual(['unknown_role', 'completion[0].role']);
  });
});

// Shapes from OpenAI's preference fine-tuning guide, AlpacaEval's annotation files and TRL's unpaired
// preference type: SFT commands turn them away with a pointer to `chatmill pairs`, never read half of them.
describe('SFT commands turn the new preference shapes away as preference_record', () => {
  const shapes: Record<string, unknown> = {
    openai_preference: {
      input: { messages: [{ role: 'user', content: 'How cold is San Francisco today?' }], tools: [], parallel_tool_calls: true },
      preferred_output: [{ role: 'assistant', content: 'About 15 °C.' }],
      non_preferred_output: [{ role: 'assistant', content: 'Cold.' }],
    },
    pairwise_judgment: { instruction: 'Name a color.', output_1: 'Blue.', output_2: 'No.', preference: 1 },
    judgment_with_input: { instruction: 'Add', input: '1+1', output_1: '2', output_2: '3', preference: 1 },
    trl_unpaired: { prompt: 'The sky is', completion: ' blue.', label: true },
    trl_unpaired_conversational: { prompt: [{ role: 'user', content: 'Sky?' }], completion: [{ role: 'assistant', content: 'Blue.' }], label: false },
  };
  for (const [name, record] of Object.entries(shapes)) {
    it(name, () => {
      const r = normalizeRecord(record, ref);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.reason).toBe('preference_record');
        expect(r.message).toContain('chatmill pairs');
      }
    });
  }
});
