import type { Conversation } from '../../schemas/chatml.js';
import type { PreferencePair } from '../../schemas/preference.js';

/** Hand-written records in the shapes real data has: CJK, emoji, Hermes tool calls, absent fields. */
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

export const SFT: Conversation[] = [
  {
    id: 'conv-001',
    source: 'chats.jsonl',
    index: 0,
    format: 'sharegpt',
    category: 'general',
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: '東京の天気はどうですか？ 🌸' },
      { role: 'assistant', content: '今日は晴れです ☀️ 最高気温は22度。' },
    ],
    n_tokens: 41,
    n_instruction_tokens: 29,
    n_response_tokens: 12,
  },
  {
    id: 'conv-002',
    source: 'tools.jsonl',
    index: 7,
    format: 'openai',
    category: 'tool_use',
    tools: [weatherTool],
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>' },
      { role: 'tool', content: '<tool_response>\n{"name": "get_weather", "content": {"temp_c": 18}}\n</tool_response>' },
      { role: 'assistant', content: 'It is 18 °C in Paris. 🇫🇷' },
    ],
    n_tokens: 80,
    n_instruction_tokens: 50,
    n_response_tokens: 30,
  },
  {
    // Tool calls as data (schemas/chatml.ts): two parallel calls, one with an id; tool turns with name and tool_call_id.
    id: 'conv-004',
    source: 'tools.jsonl',
    index: 8,
    format: 'openai',
    category: 'tool_use',
    tools: [weatherTool],
    messages: [
      { role: 'user', content: 'Weather in Paris and Zürich?' },
      {
        role: 'assistant',
        content: 'Checking both.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: { city: 'Paris', days: [1, 2], metric: true } } },
          { type: 'function', function: { name: 'get_weather', arguments: { city: 'Zürich' } } },
        ],
      },
      { role: 'tool', content: '{"temp_c": 18}', name: 'get_weather', tool_call_id: 'call_1' },
      { role: 'tool', content: 'sunny, 21 °C', name: 'get_weather' },
      { role: 'assistant', content: 'Paris 18 °C, Zürich 21 °C.' },
    ],
    n_tokens: 120,
    n_instruction_tokens: 70,
    n_response_tokens: 50,
  },
  {
    // no category, empty tools list, no token counts (no tokenizer configured)
    id: 'conv-003',
    source: 'chats.jsonl',
    index: 1,
    format: 'sharegpt',
    tools: [],
    messages: [
      { role: 'user', content: '' },
      { role: 'assistant', content: '你好！有什么可以帮你的吗？😀\nLine two with "quotes" and \\ backslash' },
    ],
  },
];

/** conv-004's turns as the `hermes-text` tool format must write them, by hand from the Hermes convention. */
export const HERMES_TEXT: Record<string, { role: string; content: string }[]> = {
  'conv-004': [
    { role: 'user', content: 'Weather in Paris and Zürich?' },
    {
      role: 'assistant',
      content:
        'Checking both.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris", "days": [1, 2], "metric": true}}\n</tool_call>\n' +
        '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Zürich"}}\n</tool_call>',
    },
    { role: 'tool', content: '<tool_response>\n{"name": "get_weather", "content": {"temp_c": 18}}\n</tool_response>' },
    { role: 'tool', content: '<tool_response>\n{"name": "get_weather", "content": "sunny, 21 °C"}\n</tool_response>' },
    { role: 'assistant', content: 'Paris 18 °C, Zürich 21 °C.' },
  ],
};

export const DPO: PreferencePair[] = [
  {
    id: 'pair-001',
    source: 'prefs.jsonl',
    index: 0,
    format: 'trl',
    category: 'math',
    prompt: [{ role: 'user', content: 'What is 2+2? 🤔' }],
    chosen: [{ role: 'assistant', content: '4' }],
    rejected: [{ role: 'assistant', content: '5' }],
    score_chosen: 9.5,
    score_rejected: 2,
    margin: 7.5,
    n_prompt_tokens: 8,
    n_chosen_tokens: 1,
    n_rejected_tokens: 1,
  },
  {
    id: 'pair-002',
    source: 'prefs.jsonl',
    index: 1,
    format: 'trl',
    tools: [weatherTool],
    prompt: [
      { role: 'system', content: 'Use tools when needed.' },
      { role: 'user', content: 'ソウルの天気は？' },
    ],
    chosen: [{ role: 'assistant', content: '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Seoul"}}\n</tool_call>' }],
    rejected: [{ role: 'assistant', content: 'I cannot know that.' }],
    score_chosen: null,
    score_rejected: null,
    margin: null,
  },
];

/** Many small, distinct SFT rows for shard-splitting tests. */
export function manySft(n: number): Conversation[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `bulk-${i}`,
    source: 'bulk.jsonl',
    index: i,
    format: 'chatml',
    category: i % 3 === 0 ? undefined : `cat-${i % 3}`,
    messages: [
      { role: 'user' as const, content: `Question ${i}: ${'質問'.repeat(i % 7)} ${'x'.repeat(40 + (i % 13))}` },
      { role: 'assistant' as const, content: `Answer ${i} 👍` },
    ],
    n_tokens: i % 5 === 0 ? undefined : 10 + i,
  }));
}
