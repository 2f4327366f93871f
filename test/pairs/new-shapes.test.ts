import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hermesMessages } from '../../src/chatml/hermes-text.js';
import { describe, expect, it } from 'vitest';
import type { PreferencePair } from '../../schemas/preference.js';
import { normalizeRecord } from '../../src/formats/normalize.js';
import { renameColumns } from '../../src/pairs/columns.js';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';
import { countBy, runPairs } from './run-helper.js';

const jsonl = (records: unknown[]): string => {
  const p = join(tmp(), 'in.jsonl');
  writeFileSync(p, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return p;
};

// Written from OpenAI's "Direct preference optimization" guide: one JSON object per line with `input`
// (messages, tools, parallel_tool_calls), and one-message `preferred_output` / `non_preferred_output` lists.
const OPENAI = {
  input: {
    messages: [{ role: 'user', content: 'Hello, can you tell me how cold San Francisco is today?' }],
    tools: [],
    parallel_tool_calls: true,
  },
  preferred_output: [{ role: 'assistant', content: 'Today in San Francisco, it is not quite cold as expected. Morning clouds will give away to sunshine.' }],
  non_preferred_output: [{ role: 'assistant', content: 'It is not particularly cold in San Francisco today.' }],
};

describe('OpenAI preference fine-tuning records', () => {
  it('input.messages is the prompt, preferred_output chosen, non_preferred_output rejected; empty tools are no tools', async () => {
    const r = await runPairs([jsonl([OPENAI])]);
    expect(r.rejects).toEqual([]);
    const p = r.out[0] as PreferencePair;
    expect(p.format).toBe('openai_preference');
    expect(p.prompt).toEqual(OPENAI.input.messages);
    expect(p.chosen).toEqual(OPENAI.preferred_output);
    expect(p.rejected).toEqual(OPENAI.non_preferred_output);
    expect(p.tools).toBeUndefined();
    expect(p).toMatchObject({ score_chosen: null, score_rejected: null, margin: null });
    expect(r.tally.summary().files[0].format).toBe('openai_preference');
  });

  it('tools and tool calls go through the openai SFT adapter normalization: the same conversation gives the same turns and tools', async () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const messages = [
      { role: 'system', content: 'You can look up weather.' },
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Oslo"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: '{"temp": -3}' },
    ];
    const good = { role: 'assistant', content: 'It is -3 °C in Oslo.' };
    const bad = { role: 'assistant', content: 'No idea.' };
    const r = await runPairs([jsonl([{ input: { messages, tools }, preferred_output: [good], non_preferred_output: [bad] }])]);
    expect(r.rejects).toEqual([]);
    const p = r.out[0] as PreferencePair;
    const sft = normalizeRecord({ messages: [...messages, good], tools }, { source: 's', index: 0 });
    if (!sft.ok) throw new Error(sft.message);
    // Pairs keep tool calls as Hermes text in content (their export is role/content only); SFT keeps them as data.
    expect([...p.prompt, ...p.chosen]).toEqual(hermesMessages(sft.conversation.messages));
    expect(p.tools).toEqual(sft.conversation.tools);
    expect(p.chosen).toEqual([good]);
  });

  it('a broken record is rejected with a reason and a path, never half-read', async () => {
    const r = await runPairs([
      jsonl([
        { ...OPENAI, input: 'hello' },
        { ...OPENAI, input: { messages: 'hello' } },
        { ...OPENAI, non_preferred_output: 'No.' },
        { ...OPENAI, preferred_output: [{ role: 'user', content: 'me' }] },
        { ...OPENAI, input: { messages: OPENAI.input.messages, tools: 'not tools' } },
      ]),
    ]);
    expect(r.out).toEqual([]);
    expect(r.rejects.map((x) => [x.reason, x.path])).toEqual([
      ['invalid_field', 'input'],
      ['invalid_messages', 'input.messages'],
      ['invalid_messages', 'non_preferred_output'],
      ['response_not_assistant', 'chosen'],
      ['invalid_tools', 'input.tools'],
    ]);
  });
});

// AlpacaEval / MT-Bench judge annotations: instruction, output_1, output_2, preference.
describe('pairwise judgment files', () => {
  const base = { instruction: 'Name a primary color.', output_1: 'Blue.', output_2: 'Green is nice.', generator_1: 'a', generator_2: 'b' };

  it('preference 1 and 2 name the preferred output; 1.5 and 0 are ties, dropped; anything else is rejected', async () => {
    const r = await runPairs([
      jsonl([
        { ...base, preference: 1 },
        { ...base, preference: 2 },
        { ...base, preference: 1.5 },
        { ...base, preference: 0 },
        { ...base, preference: '1' },
        { ...base, preference: 1.3 },
        { ...base, preference: null },
        { instruction: 'x', output_1: 'a', output_2: 'b' },
        { output_1: 'a', output_2: 'b', preference: 1 },
      ]),
    ]);
    const pairs = r.out as PreferencePair[];
    expect(pairs.map((p) => [p.index, p.chosen[0].content, p.rejected[0].content])).toEqual([
      [0, 'Blue.', 'Green is nice.'],
      [1, 'Green is nice.', 'Blue.'],
    ]);
    expect(pairs[0].prompt).toEqual([{ role: 'user', content: 'Name a primary color.' }]);
    expect(pairs[0].format).toBe('pairwise_judgment');
    expect(r.drops.map((d) => [d.ref.index, d.reason])).toEqual([
      [2, 'tie'],
      [3, 'tie'],
    ]);
    expect(r.rejects.map((x) => [x.ref.index, x.reason, x.path])).toEqual([
      [4, 'invalid_preference', 'preference'],
      [5, 'invalid_preference', 'preference'],
      [6, 'invalid_preference', 'preference'],
      [7, 'invalid_preference', 'preference'],
      [8, 'missing_prompt', 'instruction'],
    ]);
    expect(r.rejects[0].message).toContain('"1"');
  });

  it('an Alpaca input joins the instruction as the user turn; identical outputs are rejected like any pair', async () => {
    const r = await runPairs([
      jsonl([
        { instruction: 'Add the numbers.', input: '1 + 1', output_1: '2', output_2: '3', preference: 1 },
        { instruction: 'Add.', input: '', output_1: '2', output_2: '2', preference: 2 },
      ]),
    ]);
    expect((r.out[0] as PreferencePair).prompt).toEqual([{ role: 'user', content: 'Add the numbers.\n1 + 1' }]);
    expect(countBy(r.rejects)).toEqual({ identical_responses: 1 });
  });
});

describe('pairs turns SFT shapes away as not_preference, the new ones included', () => {
  it('prompt-completion (text and messages), OpenAI chat, Alpaca and ShareGPT records are not pairs', async () => {
    const r = await runPairs([
      jsonl([
        { prompt: 'The sky is', completion: ' blue.' },
        { prompt: [{ role: 'user', content: 'Sky?' }], completion: [{ role: 'assistant', content: 'Blue.' }] },
        { messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }] },
        { instruction: 'Add', input: '1+1', output: '2' },
        { conversations: [{ from: 'human', value: 'Hi' }, { from: 'gpt', value: 'Hello' }] },
      ]),
    ]);
    expect(r.out).toEqual([]);
    expect(countBy(r.rejects)).toEqual({ not_preference: 5 });
  });
});

describe('preference column mappings', () => {
  it('renameColumns puts the mapped fields under the standard names and drops the originals', () => {
    const rec = { question: 'Q?', response_j: 'good', response_k: 'bad', prompt: 'stale', qid: 3 };
    expect(renameColumns(rec, { prompt: 'question', chosen: 'response_j', rejected: 'response_k' })).toEqual({
      qid: 3,
      prompt: 'Q?',
      chosen: 'good',
      rejected: 'bad',
    });
    // A `__proto__` field stays a plain field, nothing is polluted.
    const odd = renameColumns(JSON.parse('{"__proto__": {"x": 1}, "q": "Q"}'), { prompt: 'q' });
    expect(Object.hasOwn(odd, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  function pipeline(dir: string, input: string, columns: string): string {
    const p = join(dir, 'p.yaml');
    writeFileSync(
      p,
      `name: t\ndatasets:\n  prefs:\n    kind: preference\n    inputs:\n      - path: ${input}\n        columns: ${columns}\n    stages:\n      - pairs: {}\n      - write: { path: pairs.jsonl }\n`,
    );
    return p;
  }

  it('a pipeline maps StackExchange-style question / response_j / response_k (j preferred) to pairs', async () => {
    const dir = tmp();
    const input = join(dir, 'se.jsonl');
    writeFileSync(
      input,
      [
        { qid: 1, question: 'How do I reverse a list in Python?', response_j: 'Use reversed(xs) or xs[::-1].', response_k: 'You cannot.' },
        { qid: 2, question: 'Tabs or spaces?', response_j: 'Spaces, per PEP 8.', response_k: 'Spaces, per PEP 8.' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
    );
    const r = await chatmill(['run', pipeline(dir, input, '{ prompt: question, chosen: response_j, rejected: response_k }'), '--out', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 2, kept: 1, rejected: 1, reasons: { identical_responses: 1 } });
    const pair = JSON.parse(readFileSync(join(dir, 'pairs.jsonl'), 'utf8'));
    expect(pair).toMatchObject({
      format: 'explicit',
      prompt: [{ role: 'user', content: 'How do I reverse a list in Python?' }],
      chosen: [{ role: 'assistant', content: 'Use reversed(xs) or xs[::-1].' }],
      rejected: [{ role: 'assistant', content: 'You cannot.' }],
    });
    // Without the mapping the same file is no preference data at all.
    const unmapped = await chatmill(['pairs', input, '-o', join(dir, 'x.jsonl'), '--no-tokens', '--json']);
    expect(JSON.parse(unmapped.stdout)).toMatchObject({ kept: 0, reasons: { not_preference: 2 } });
  });

  it('a mapping to a field no preference shape reads, or roles on a preference input, fails before any data moves (exit 2)', async () => {
    const dir = tmp();
    const input = join(dir, 'se.jsonl');
    writeFileSync(input, '{}\n');
    const r = await chatmill(['run', pipeline(dir, input, '{ prompt: question, chosen_answer: response_j }'), '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/datasets\.prefs\.inputs\[0\]\.columns\.chosen_answer/);
    expect(r.stderr).toContain('"chosen_answer" is none of them');
  });
});
