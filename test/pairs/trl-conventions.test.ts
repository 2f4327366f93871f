import { describe, expect, test } from 'vitest';
import { readShape } from '../../src/pairs/shape.js';
import { buildRecords, type TokenCounter } from '../../src/pairs/build.js';
import { splitText } from '../../src/pairs/implicit.js';
import { DEFAULT_PAIR_OPTIONS, type Shape } from '../../src/pairs/types.js';
import { pairKtoGroups } from '../../src/pairs/kto-pair.js';
import { keep } from '../../src/types.js';
import type { PreferencePair } from '../../schemas/preference.js';

// Examples below are the ones in TRL's docs (dataset_formats.md) and data_utils.py docstrings.
const sky = { role: 'user', content: 'What color is the sky?' };
const blue = { role: 'assistant', content: 'It is blue.' };
const green = { role: 'assistant', content: 'It is green.' };

const build = (record: unknown, tokens?: TokenCounter) => {
  const shape = readShape(record, DEFAULT_PAIR_OPTIONS);
  if ('ok' in shape) throw new Error(`${shape.reason}: ${shape.message}`);
  const built = buildRecords(shape as Shape, { source: 'x.jsonl', index: 0, options: DEFAULT_PAIR_OPTIONS, tokens });
  if (!built.ok) throw new Error(`${built.reason}: ${built.message}`);
  return built.records as PreferencePair[];
};
const reason = (record: unknown) => {
  const shape = readShape(record, DEFAULT_PAIR_OPTIONS);
  if ('ok' in shape) return shape.reason;
  const built = buildRecords(shape as Shape, { source: 'x', index: 0, options: DEFAULT_PAIR_OPTIONS });
  return built.ok ? 'ok' : built.reason;
};

describe('TRL extract_prompt / maybe_extract_prompt', () => {
  test('conversational implicit prompt: the longest common message prefix is the prompt', () => {
    const [p] = build({ chosen: [sky, blue], rejected: [sky, green] });
    expect({ prompt: p.prompt, chosen: p.chosen, rejected: p.rejected }).toEqual({ prompt: [sky], chosen: [blue], rejected: [green] });
  });

  test('standard implicit prompt: "The sky is blue." vs "The sky is green." -> "The sky is" + " blue." / " green."', () => {
    expect(splitText('The sky is blue.', 'The sky is green.')).toEqual({ prompt: 'The sky is', chosen: ' blue.', rejected: ' green.' });
    const [p] = build({ chosen: 'The sky is blue.', rejected: 'The sky is green.' });
    expect(p.prompt).toEqual([{ role: 'user', content: 'The sky is' }]);
    expect(p.chosen).toEqual([{ role: 'assistant', content: ' blue.' }]);
  });

  test('explicit conversational prompt is kept as is', () => {
    const [p] = build({ prompt: [sky], chosen: [blue], rejected: [green] });
    expect([p.prompt, p.chosen, p.rejected]).toEqual([[sky], [blue], [green]]);
  });

  test('a text prompt next to conversational sides is re-extracted (the docstring case)', () => {
    const [p] = build({ prompt: 'What color is the sky?', chosen: [sky, blue], rejected: [sky, green] });
    expect([p.prompt, p.chosen, p.rejected]).toEqual([[sky], [blue], [green]]);
  });

  test('unlike TRL, a chosen side that repeats the prompt is trimmed, never holding the whole conversation', () => {
    const [p] = build({ prompt: [sky], chosen: [sky, blue], rejected: [green] });
    expect(p.chosen).toEqual([blue]);
  });

  test('standard explicit: {"prompt": "The sky is", "chosen": " blue.", "rejected": " green."}', () => {
    const [p] = build({ prompt: 'The sky is', chosen: ' blue.', rejected: ' green.' });
    expect(p.prompt).toEqual([{ role: 'user', content: 'The sky is' }]);
    expect(p.rejected).toEqual([{ role: 'assistant', content: ' green.' }]);
  });
});

describe('rules', () => {
  test('identical, empty, diverging and non-assistant sides are rejected with their reason', () => {
    expect(reason({ prompt: [sky], chosen: [blue], rejected: [blue] })).toBe('identical_responses');
    expect(reason({ prompt: [sky], chosen: [{ role: 'assistant', content: '  ' }], rejected: [green] })).toBe('empty_response');
    expect(reason({ chosen: [sky, blue], rejected: [{ role: 'user', content: 'Other?' }, green] })).toBe('prompt_mismatch');
    const more = { role: 'user', content: 'More?' };
    expect(reason({ chosen: [sky, blue, more, blue], rejected: [sky, blue, sky, green] })).toBe('prompt_mismatch');
    expect(reason({ prompt: [sky], chosen: [blue, { role: 'user', content: 'thanks' }], rejected: [green] })).toBe('response_not_assistant');
    expect(reason({ text: 'hello' })).toBe('not_preference');
  });

  test('HH: a reply holding a second Assistant turn makes the prompts disagree -> prompt_mismatch', () => {
    const chosen = '\n\nHuman: Hi\n\nAssistant: Hello\n\nAssistant: again';
    const rejected = '\n\nHuman: Hi\n\nAssistant: Go away';
    expect(reason({ chosen, rejected })).toBe('prompt_mismatch');
    expect(reason({ chosen: '\n\nHuman: Hi\n\nAssistant: Human: Hi', rejected })).toBe('speaker_leak');
    expect(reason({ chosen: '\n\nHuman: Hi\n\nAssistant: ', rejected })).toBe('empty_response');
  });

  test('tool calls in a response are normalized exactly as in SFT (Hermes <tool_call>)', () => {
    const call = { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } }] };
    const [p] = build({ prompt: [{ role: 'user', content: 'Weather in Paris?' }], chosen: [call], rejected: [{ role: 'assistant', content: 'No idea.' }] });
    expect(p.chosen[0].content).toBe('<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>');
  });
});

describe('maybe_apply_chat_template split convention for token counts', () => {
  // One "token" per UTF-16 unit, so counts are string lengths we can write down.
  const chars: TokenCounter = { encode: (t) => Array.from({ length: t.length }, () => 0) };
  test('prompt includes the generation header; a side is what prompt+side adds after it', () => {
    const [p] = build({ prompt: [sky], chosen: [blue], rejected: [green] }, chars);
    expect(p.n_prompt_tokens).toBe('<|im_start|>user\nWhat color is the sky?<|im_end|>\n<|im_start|>assistant\n'.length);
    expect(p.n_chosen_tokens).toBe('It is blue.<|im_end|>\n'.length);
    expect(p.n_rejected_tokens).toBe('It is green.<|im_end|>\n'.length);
  });
});

describe('unpaired preference (KTO) <-> preference', () => {
  test('the two unpaired rows TRL unpair_preference_dataset makes from one pair pair back into it', () => {
    const rows = [
      { prompt: [sky], completion: [blue], label: true },
      { prompt: [sky], completion: [green], label: false },
    ];
    const waiting = rows.map((r, index) => {
      const shape = readShape(r, DEFAULT_PAIR_OPTIONS);
      if ('ok' in shape || shape.kind !== 'labelled') throw new Error('not labelled');
      return { item: keep({ source: 'k.jsonl', index }, r, JSON.stringify(r)), shape };
    });
    const out = [...pairKtoGroups(waiting, { options: { ...DEFAULT_PAIR_OPTIONS, kto: 'paired' } })];
    expect(out[0].kind).toBe('keep');
    const pair = (out[0] as { value: PreferencePair }).value;
    expect([pair.prompt, pair.chosen, pair.rejected]).toEqual([[sky], [blue], [green]]);
    expect(out[1]).toMatchObject({ kind: 'drop', reason: 'merged_into_pair' });
  });

  test('unpaired by default: {prompt, completion, label} as TRL documents it', () => {
    const shape = readShape({ messages: [sky, blue], label: true }, DEFAULT_PAIR_OPTIONS);
    const built = buildRecords(shape as Shape, { source: 'k', index: 3, options: DEFAULT_PAIR_OPTIONS });
    expect(built.ok && built.records[0]).toMatchObject({ prompt: [sky], completion: [blue], label: true });
  });
});
