/**
 * Tool calls as data (issue 13 part 3): every adapter that reads tool calls fills the structured fields of
 * schemas/chatml.ts, and the Hermes text rendered from them is the text chatmill stored before, byte for byte.
 * Expected Hermes texts are written by hand from the Hermes function-calling convention; expected structures from
 * the input records (OpenAI / TRL shape) and, for real files, from the files' own JSON.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Conversation } from '../../schemas/chatml.js';
import { hermesMessages } from '../../src/chatml/hermes-text.js';
import { renderChatML } from '../../src/chatml/render.js';
import { normalizeRecord } from '../../src/formats/normalize.js';
import { validateConversation } from '../../src/validate/rules.js';
import { haveRealdata, real } from '../helpers/realdata.js';

const ok = (record: unknown, index = 0) => {
  const r = normalizeRecord(record, { source: 't.jsonl', index });
  if (!r.ok) throw new Error(`${r.reason}: ${r.message} at ${r.path}`);
  // Every normalized record meets the schema, structured fields included.
  return Conversation.parse(r.conversation);
};
const fail = (record: unknown) => {
  const r = normalizeRecord(record, { source: 't.jsonl', index: 0 });
  if (r.ok) throw new Error('expected a problem');
  return [r.reason, r.path];
};
const text = (c: Conversation) => hermesMessages(c.messages).map((m) => m.content);
/** JSON read back through the record's own serialization, as `convert` writes it and a reader reads it. */
const throughJson = (c: Conversation) => JSON.parse(JSON.stringify(c));

const WEATHER = { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };
const CALL = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tool_call>';
const RESPONSE = '<tool_response>\n{"name": "get_weather", "content": {"temp": -3}}\n</tool_response>';

describe('ChatML text with Hermes blocks becomes structured turns', () => {
  const record = {
    text:
      '<|im_start|>system\nYou may call tools. <tools>\n' + JSON.stringify(WEATHER) + '\n</tools><|im_end|>\n' +
      '<|im_start|>user\nWeather in Oslo?<|im_end|>\n' +
      `<|im_start|>assistant\nLet me check.\n${CALL}<|im_end|>\n` +
      `<|im_start|>tool\n${RESPONSE}<|im_end|>\n` +
      '<|im_start|>assistant\nIt is -3 °C.<|im_end|>\n',
  };

  it('text before the calls stays content, the calls are data, the response is unwrapped to its raw output', () => {
    const c = ok(record);
    expect(c.format).toBe('hermes');
    expect(c.messages[2]).toEqual({ role: 'assistant', content: 'Let me check.', tool_calls: [{ type: 'function', function: { name: 'get_weather', arguments: { city: 'Oslo' } } }] });
    expect(c.messages[3]).toEqual({ role: 'tool', content: '{"temp": -3}', name: 'get_weather' });
    expect(text(c).slice(2, 4)).toEqual([`Let me check.\n${CALL}`, RESPONSE]);
  });

  it('renders back to exactly the ChatML text it was read from', () => {
    expect(renderChatML(ok(record).messages)).toBe(record.text);
  });
});

describe('Hermes layouts that cannot be taken apart keep their text, so rendering stays byte-identical', () => {
  const convo = (assistant: string, tool = RESPONSE) => ({
    messages: [
      { role: 'system', content: `<tools>\n${JSON.stringify(WEATHER)}\n</tools>` },
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: assistant },
      { role: 'tool', content: tool },
      { role: 'assistant', content: 'Cold.' },
    ],
  });

  it.each([
    ['text after the block', `${CALL}\nDone calling.`],
    ['a blank line between text and block', `Checking.\n\n${CALL}`],
    ['a blank line between two blocks', `${CALL}\n\n${CALL}`],
  ])('%s', (_name, assistant) => {
    const c = ok(convo(assistant));
    expect(text(c)[2]).toBe(assistant);
    // Blocks that stay text are still checked and counted as calls.
    expect(validateConversation(c).ok).toBe(true);
  });

  it('a blank line before the first block is kept as text content ahead of structured calls', () => {
    const c = ok(convo(`Checking.\n\n${CALL}`));
    expect(c.messages[2]).toEqual({ role: 'assistant', content: 'Checking.\n', tool_calls: [expect.objectContaining({ function: { name: 'get_weather', arguments: { city: 'Oslo' } } })] });
  });

  it('two responses in one tool turn stay Hermes text (no name), as written', () => {
    const two = `${RESPONSE}\n${RESPONSE}`;
    const c = ok(convo(`${CALL}\n${CALL}`, two));
    expect(c.messages[3]).toEqual({ role: 'tool', content: two });
    expect(c.messages[2].tool_calls).toHaveLength(2);
  });

  it('a response whose string content looks like JSON stays text: unwrapping would render it as an object', () => {
    const tricky = '<tool_response>\n{"name": "get_weather", "content": "{\\"temp\\": 1}"}\n</tool_response>';
    const c = ok(convo(CALL, tricky));
    expect(c.messages[3]).toEqual({ role: 'tool', content: tricky });
  });
});

describe('the existing reasons keep working on structured calls', () => {
  const base = (assistant: Record<string, unknown>, tools: unknown[] | null = [WEATHER]) => ({
    messages: [{ role: 'user', content: 'q' }, assistant, { role: 'tool', tool_call_id: 'c1', content: 'ok' }, { role: 'assistant', content: 'a' }],
    ...(tools ? { tools } : {}),
  });
  const call = (name: string, args: unknown) => ({ role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name, arguments: args } }] });

  it('tool_not_in_tools, tool_call_without_tools, double_encoded_arguments', () => {
    const notListed = ok(base(call('get_time', '{}')));
    expect(validateConversation(notListed)).toMatchObject({ ok: false, reason: 'tool_not_in_tools', path: 'messages[1].content' });
    const noTools = ok(base(call('get_weather', '{"city": "Oslo"}'), null));
    expect(validateConversation(noTools)).toEqual({ ok: true, warnings: expect.arrayContaining(['tool_call_without_tools']) });
    const r = normalizeRecord(base(call('get_weather', JSON.stringify('{"city": "Oslo"}'))), { source: 't', index: 0 });
    expect(r.ok && r.warnings).toEqual(['double_encoded_arguments']);
    expect(r.ok && r.conversation.messages[1].tool_calls?.[0].function.arguments).toEqual({ city: 'Oslo' });
  });

  it('tool_call_invalid_json, invalid_number in arguments, tool_result_without_call', () => {
    expect(fail(base(call('get_weather', '{oops'))))
      .toEqual(['tool_call_invalid_json', 'messages[1].tool_calls.arguments']);
    expect(fail(base(call('get_weather', '{"n": 123456789012345678901}')))[0]).toBe('invalid_number');
    expect(fail({ messages: [{ role: 'user', content: 'q' }, { role: 'tool', tool_call_id: 'zz', content: 'x' }, { role: 'assistant', content: 'a' }] })[0]).toBe('tool_result_without_call');
  });

  it('an assistant turn holding only calls is not an empty turn', () => {
    const c = ok(base(call('get_weather', '{"city": "Oslo"}')));
    expect(c.messages[1].content).toBe('');
    expect(validateConversation(c).ok).toBe(true);
  });
});

describe('the chatmill reader reads structured records back unchanged (convert round trip)', () => {
  it('OpenAI tool calls with ids, a Hermes record and a glaive record', () => {
    const inputs = [
      {
        messages: [
          { role: 'user', content: 'Weather in Oslo and Rome?' },
          { role: 'assistant', content: 'Both:', tool_calls: [
            { id: 'a', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Oslo"}' } },
            { id: 'b', type: 'function', function: { name: 'get_weather', arguments: { city: 'Rome', units: [1.5, null, true] } } },
          ] },
          { role: 'tool', tool_call_id: 'b', content: '  {"temp":  21}\n' },
          { role: 'tool', tool_call_id: 'a', content: 'minus three' },
          { role: 'assistant', content: 'Done.' },
        ],
        tools: [WEATHER],
      },
      { conversations: [{ from: 'system', value: `<tools> ${JSON.stringify(WEATHER)} </tools>` }, { from: 'human', value: 'Oslo?' }, { from: 'gpt', value: CALL }, { from: 'tool', value: RESPONSE }, { from: 'gpt', value: 'Cold.' }] },
      { conversations: [{ from: 'human', value: 'Oslo?' }, { from: 'function_call', value: '{"name": "get_weather", "arguments": {"city": "Oslo"}}' }, { from: 'observation', value: '{"temp": -3}' }, { from: 'gpt', value: 'Cold.' }], tools: JSON.stringify([WEATHER]) },
    ];
    for (const [i, input] of inputs.entries()) {
      const first = ok(input, i);
      const again = ok(throughJson(first), 99);
      expect(again).toEqual(first);
      expect(renderChatML(again.messages, again.tools)).toBe(renderChatML(first.messages, first.tools));
    }
    const openai = ok(inputs[0]);
    // A tool output that is JSON is kept in json.dumps spacing (what its Hermes text holds); other text as written.
    expect(openai.messages.slice(2, 4)).toEqual([
      { role: 'tool', content: '{"temp": 21}', name: 'get_weather', tool_call_id: 'b' },
      { role: 'tool', content: 'minus three', name: 'get_weather', tool_call_id: 'a' },
    ]);
    expect(text(openai)[1]).toBe(
      'Both:\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tool_call>\n' +
        '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Rome", "units": [1.5, null, true]}}\n</tool_call>',
    );
  });
});

describe.runIf(haveRealdata)('real files', () => {
  it('LLaMA-Factory glaive_toolcall_en_demo.json: every function_call turn becomes one assistant turn with its call as data', () => {
    const records = JSON.parse(readFileSync(real('llamafactory/glaive_toolcall_en_demo.json'), 'utf8')) as { conversations: { from: string; value: string }[]; tools: string }[];
    let calls = 0;
    let results = 0;
    records.forEach((raw, i) => {
      const c = ok(raw, i);
      const turns = raw.conversations;
      expect(c.messages).toHaveLength(turns.length);
      turns.forEach((t, j) => {
        const m = c.messages[j];
        if (t.from === 'function_call') {
          const want = JSON.parse(t.value) as { name: string; arguments: unknown };
          expect(m).toEqual({ role: 'assistant', content: '', tool_calls: [{ type: 'function', function: { name: want.name, arguments: want.arguments } }] });
          calls++;
        } else if (t.from === 'observation') {
          const call = c.messages[j - 1].tool_calls![0].function.name;
          expect(m.name).toBe(call);
          // Same JSON value as the file's observation (spacing may differ), or the text itself when it is not JSON.
          let want: unknown = t.value;
          try {
            want = JSON.parse(t.value);
          } catch {
            /* plain text */
          }
          expect(typeof want === 'object' ? JSON.parse(m.content) : m.content).toEqual(want);
          results++;
        } else expect(m).toEqual({ role: t.from === 'human' ? 'user' : 'assistant', content: t.value });
      });
      expect(validateConversation(c).ok).toBe(true);
      expect(ok(throughJson(c), i)).toEqual(c);
    });
    // Counted in the file: 211 function_call and 211 observation turns.
    expect([calls, results]).toEqual([211, 211]);
  });

  it('OpenAI cookbook drone_training.jsonl: every assistant tool call is data with its id, arguments parsed from the string', () => {
    const lines = readFileSync(real('openai-cookbook/drone_training.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
    let calls = 0;
    lines.forEach((line, i) => {
      const raw = JSON.parse(line) as { messages: { role: string; tool_calls?: { id: string; function: { name: string; arguments: string } }[] }[] };
      const c = ok(raw, i);
      raw.messages.forEach((t, j) => {
        if (!t.tool_calls) return;
        expect(c.messages[j].tool_calls).toEqual(
          t.tool_calls.map((x) => ({ id: x.id, type: 'function', function: { name: x.function.name, arguments: JSON.parse(x.function.arguments) } })),
        );
        calls += t.tool_calls.length;
      });
      expect(validateConversation(c).ok).toBe(true);
    });
    expect(calls).toBe(103);
  });
});

describe('curation reads tool turns as their Hermes text', () => {
  it('turnsText (near_dedup, decontaminate) holds the calls, so records differing only in their calls differ', async () => {
    const { turnsText } = await import('../../src/curate/text.js');
    const c = ok({ messages: [{ role: 'user', content: 'Oslo?' }, { role: 'assistant', content: 'Checking.', tool_calls: [{ type: 'function', function: { name: 'get_weather', arguments: { city: 'Oslo' } } }] }, { role: 'tool', content: '1' }, { role: 'assistant', content: 'ok' }] });
    expect(turnsText(c.messages, ['user', 'assistant'])).toBe(`Oslo?\nChecking.\n${CALL}\nok`);
  });
});
