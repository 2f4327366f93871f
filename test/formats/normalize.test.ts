import { describe, expect, it } from 'vitest';
import { normalizeRecord } from '../../src/formats/normalize.js';
import { hermesMessages } from '../../src/chatml/hermes-text.js';

/** The turns' Hermes text, as the model reads them (calls and results rendered into content). */
const hermes = (c: { messages: Parameters<typeof hermesMessages>[0] }) => hermesMessages(c.messages);

const ref = { source: 't.jsonl', index: 0 };
const ok = (record: unknown, opts = {}) => {
  const r = normalizeRecord(record, ref, opts);
  if (!r.ok) throw new Error(`${r.reason}: ${r.message} at ${r.path}`);
  return r.conversation;
};
const fail = (record: unknown, opts = {}) => {
  const r = normalizeRecord(record, ref, opts);
  if (r.ok) throw new Error('expected a problem');
  return [r.reason, r.path];
};

// Expected texts below are written by hand from the Hermes function-calling convention:
// <tool_call>\n{"name": ..., "arguments": {...}}\n</tool_call> and
// <tool_response>\n{"name": ..., "content": ...}\n</tool_response>, JSON in Python json.dumps spacing.
describe('OpenAI chat records', () => {
  it('keeps tool_calls (no content key, arguments as a JSON string) as data with parsed arguments; Hermes text at render', () => {
    const c = ok({
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Oslo", "days": 2}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '{"temp": -3}' },
        { role: 'assistant', content: 'It is -3 °C.' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
    });
    expect(c.format).toBe('openai');
    expect(c.messages).toEqual([
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: { city: 'Oslo', days: 2 } } }] },
      { role: 'tool', content: '{"temp": -3}', name: 'get_weather', tool_call_id: 'c1' },
      { role: 'assistant', content: 'It is -3 °C.' },
    ]);
    expect(hermes(c)).toEqual([
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo", "days": 2}}\n</tool_call>' },
      { role: 'tool', content: '<tool_response>\n{"name": "get_weather", "content": {"temp": -3}}\n</tool_response>' },
      { role: 'assistant', content: 'It is -3 °C.' },
    ]);
    expect(c.tools?.[0].function.name).toBe('get_weather');
  });

  it('matches parallel tool results to their calls by tool_call_id', () => {
    const c = ok({
      messages: [
        { role: 'user', content: 'a and b' },
        { role: 'assistant', content: null, tool_calls: [
          { id: 'x', type: 'function', function: { name: 'fa', arguments: '{}' } },
          { id: 'y', type: 'function', function: { name: 'fb', arguments: { k: 1 } } },
        ] },
        { role: 'tool', tool_call_id: 'y', content: 'B' },
        { role: 'tool', tool_call_id: 'x', content: 'A' },
        { role: 'assistant', content: 'done' },
      ],
      tools: [{ type: 'function', function: { name: 'fa' } }, { type: 'function', function: { name: 'fb' } }],
    });
    expect(c.messages[2]).toEqual({ role: 'tool', content: 'B', name: 'fb', tool_call_id: 'y' });
    expect(c.messages[3]).toEqual({ role: 'tool', content: 'A', name: 'fa', tool_call_id: 'x' });
    const text = hermes(c);
    expect(text[1].content).toBe('<tool_call>\n{"name": "fa", "arguments": {}}\n</tool_call>\n<tool_call>\n{"name": "fb", "arguments": {"k": 1}}\n</tool_call>');
    expect(text[2].content).toBe('<tool_response>\n{"name": "fb", "content": "B"}\n</tool_response>');
    expect(text[3].content).toBe('<tool_response>\n{"name": "fa", "content": "A"}\n</tool_response>');
  });

  it('joins text content parts and rejects media parts', () => {
    expect(ok({ messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }, { role: 'assistant', content: 'c' }] }).messages[0].content).toBe('a\nb');
    expect(fail({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }, { role: 'assistant', content: 'c' }] })).toEqual(['multimodal_content', 'messages[0].content[0]']);
  });

  it('rejects a tool result with no call before it, an unknown role, and unparseable arguments', () => {
    expect(fail({ messages: [{ role: 'user', content: 'q' }, { role: 'tool', content: '1' }, { role: 'assistant', content: 'a' }] })).toEqual(['tool_result_without_call', 'messages[1]']);
    expect(fail({ messages: [{ role: 'narrator', content: 'q' }] })).toEqual(['unknown_role', 'messages[0].role']);
    expect(fail({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', tool_calls: [{ function: { name: 'f', arguments: '{oops' } }] }] })[0]).toBe('tool_call_invalid_json');
  });
});

describe('ShareGPT records', () => {
  it('maps glaive function_call / observation turns and parses tools given as a JSON string', () => {
    const c = ok({
      conversations: [
        { from: 'human', value: 'Area of a 5x3 rectangle?' },
        { from: 'function_call', value: '{"name": "area", "arguments": {"w": 5, "h": 3}}' },
        { from: 'observation', value: '{"area": 15}' },
        { from: 'gpt', value: 'It is 15.' },
      ],
      tools: '[{"name": "area", "description": "rectangle area", "parameters": {"type": "object"}}]',
      system: 'Be exact.',
    });
    expect(c.format).toBe('sharegpt');
    expect(c.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);
    expect(c.messages[2]).toEqual({ role: 'assistant', content: '', tool_calls: [{ type: 'function', function: { name: 'area', arguments: { w: 5, h: 3 } } }] });
    expect(c.messages[3]).toEqual({ role: 'tool', content: '{"area": 15}', name: 'area' });
    expect(hermes(c)[2].content).toBe('<tool_call>\n{"name": "area", "arguments": {"w": 5, "h": 3}}\n</tool_call>');
    expect(hermes(c)[3].content).toBe('<tool_response>\n{"name": "area", "content": {"area": 15}}\n</tool_response>');
    expect(c.tools).toEqual([{ type: 'function', function: { name: 'area', description: 'rectangle area', parameters: { type: 'object' } } }]);
  });

  it('accepts Hermes tool calls written as single-quoted Python dicts and rewrites them as JSON', () => {
    const c = ok({
      conversations: [
        { from: 'system', value: 'You may call tools. <tools> [{"type": "function", "function": {"name": "get_stock", "parameters": {}}}] </tools>' },
        { from: 'human', value: 'AAPL?' },
        { from: 'gpt', value: "<tool_call>\n{'arguments': {'symbol': 'AAPL', 'live': True}, 'name': 'get_stock'}\n</tool_call>" },
        { from: 'tool', value: '<tool_response>\n{"name": "get_stock", "content": {"price": 1}}\n</tool_response>' },
        { from: 'gpt', value: 'It is 1.' },
      ],
    });
    expect(c.format).toBe('hermes');
    expect(c.messages[2]).toEqual({ role: 'assistant', content: '', tool_calls: [{ type: 'function', function: { name: 'get_stock', arguments: { symbol: 'AAPL', live: true } } }] });
    // The Hermes tool response is unwrapped: the raw output, with the function's name.
    expect(c.messages[3]).toEqual({ role: 'tool', content: '{"price": 1}', name: 'get_stock' });
    expect(hermes(c)[2].content).toBe('<tool_call>\n{"name": "get_stock", "arguments": {"symbol": "AAPL", "live": true}}\n</tool_call>');
    expect(hermes(c)[3].content).toBe('<tool_response>\n{"name": "get_stock", "content": {"price": 1}}\n</tool_response>');
    expect(c.tools?.map((t) => t.function.name)).toEqual(['get_stock']);
  });
});

describe('Alpaca, ChatML text, typed parts, custom columns', () => {
  it('Alpaca: instruction + "\\n" + input when the input is not empty; history turns first', () => {
    expect(ok({ instruction: 'Add', input: '2+2', output: '4' }).messages).toEqual([
      { role: 'user', content: 'Add\n2+2' },
      { role: 'assistant', content: '4' },
    ]);
    const c = ok({ instruction: 'Why?', input: '', output: 'Because.', system: 'S', history: [['Hi', 'Hello']] });
    expect(c.messages.map((m) => m.content)).toEqual(['S', 'Hi', 'Hello', 'Why?', 'Because.']);
  });

  it('ChatML text splits into turns and rejects stray text', () => {
    const c = ok({ text: '<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\nA<|im_end|>\n' });
    expect(c.format).toBe('chatml');
    expect(c.messages).toEqual([{ role: 'system', content: 'S' }, { role: 'user', content: 'Q' }, { role: 'assistant', content: 'A' }]);
    expect(fail({ text: '<|im_start|>user\nQ<|im_end|> junk <|im_start|>assistant\nA<|im_end|>' })[0]).toBe('invalid_chatml');
  });

  it('typed parts: reasoning becomes <think>, tool_call parts become Hermes calls', () => {
    const c = ok({
      messages: [
        { role: 'user', content: [{ type: 'text', value: 'Find X' }] },
        { role: 'assistant', content: [{ type: 'reasoning', value: 'Need search.' }, { type: 'tool_call', value: '{"name": "search", "arguments": "{\\"q\\": \\"X\\"}"}' }] },
      ],
      tools: '[{"name": "search"}]',
    });
    expect(c.format).toBe('parts');
    expect(c.messages[1]).toEqual({ role: 'assistant', content: '<think>\nNeed search.\n</think>', tool_calls: [{ type: 'function', function: { name: 'search', arguments: { q: 'X' } } }] });
    expect(hermes(c)[1].content).toBe('<think>\nNeed search.\n</think>\n<tool_call>\n{"name": "search", "arguments": {"q": "X"}}\n</tool_call>');
  });

  it('custom field and role names through a column mapping', () => {
    const c = ok({ dialog: [{ speaker: 'human', text: 'hi' }, { speaker: 'bot', text: 'hello' }], topic: 'greeting' }, {
      mapping: { columns: { messages: 'dialog', role: 'speaker', content: 'text', category: 'topic' }, roles: { bot: 'assistant' } },
    });
    expect(c.messages).toEqual([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }]);
    expect(c.category).toBe('greeting');
  });

  it('keeps unused fields in meta, a given id, and gives others a stable content id', () => {
    const rec = { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }], label: true };
    const a = ok(rec);
    const b = ok(JSON.parse(JSON.stringify(rec)));
    expect(a.id).toMatch(/^[0-9a-f]{16}$/);
    expect(a.id).toBe(b.id);
    expect(a.meta).toEqual({ label: true });
    expect(ok({ ...rec, id: 'r-7' }).id).toBe('r-7');
  });

  it('turns preference records away with a pointer to chatmill pairs', () => {
    expect(fail({ conversations: [{ from: 'human', value: 'q' }], chosen: { from: 'gpt', value: 'a' }, rejected: { from: 'gpt', value: 'b' } })[0]).toBe('preference_record');
  });
});

describe('Hermes system prompts', () => {
  it('skips <tools></tools> mentioned in prose and reads the block that lists the tools', () => {
    const c = ok({
      conversations: [
        { from: 'system', value: 'Signatures are within <tools></tools> XML tags.\n<tools>\n[{"type": "function", "function": {"name": "get_weather"}}]\n</tools>' },
        { from: 'human', value: 'Oslo?' },
        { from: 'gpt', value: '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tool_call>' },
      ],
    });
    expect(c.tools?.map((t) => t.function.name)).toEqual(['get_weather']);
  });
});
