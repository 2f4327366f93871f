import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../schemas/chatml.js';
import { maskTokens } from '../../src/tokens/count.js';
import { TokenEncoder } from '../../src/tokens/encoder.js';
import { DEFAULT_POLICY } from '../../src/tokens/masks.js';
import { llama3Dir, resolveTokenizerFiles } from '../../src/tokens/source.js';
import { makeTemplate } from '../../src/tokens/template.js';
import { UsageError } from '../../src/types.js';
import { HAS_REALDATA, REALDATA, rustIds, rustLlama3 } from './helpers.js';

/** A local tokenizer folder: the Llama 3.1 tokenizer.json (linked, not copied) plus a config we choose. */
function localTokenizer(config: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'chatmill-tok-'));
  symlinkSync(join(llama3Dir(), 'tokenizer.json'), join(dir, 'tokenizer.json'));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(config));
  return join(dir, 'tokenizer.json');
}

const CHAT: Message[] = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Hi there' },
  { role: 'assistant', content: 'Hello!' },
  { role: 'user', content: 'Bye' },
  { role: 'assistant', content: 'Goodbye.' },
];

describe.skipIf(!HAS_REALDATA)('--template tokenizer renders the Llama 3.1 chat_template with @huggingface/jinja', () => {
  it('matches Meta prompt format; masks per turn from prefix diffs; fixed date', async () => {
    const tpl = readFileSync(join(REALDATA, 'tokenizers/trl-chat-templates/llama3_1.jinja'), 'utf8');
    const path = localTokenizer({ chat_template: tpl, bos_token: '<|begin_of_text|>', eos_token: '<|eot_id|>' });
    const enc = new TokenEncoder(await resolveTokenizerFiles({ spec: path }));
    const template = makeTemplate({ kind: 'tokenizer', encoder: enc, date: '01 Jan 2025' });
    const segs = template.segments({ messages: CHAT });
    const H = (role: string) => `<|start_header_id|>${role}<|end_header_id|>\n\n`;
    // Meta's documented Llama 3.1 layout (llama3_1_prompt_format.md), written out by hand:
    const sys = `Cutting Knowledge Date: December 2023\nToday Date: 01 Jan 2025\n\n`;
    const text = `<|begin_of_text|>${H('system')}${sys}You are terse.<|eot_id|>${H('user')}Hi there<|eot_id|>${H('assistant')}Hello!<|eot_id|>${H('user')}Bye<|eot_id|>${H('assistant')}Goodbye.<|eot_id|>`;
    expect(segs.map((s) => s.text).join('')).toBe(text);

    const got = maskTokens(enc, segs, DEFAULT_POLICY);
    expect(got.ids).toEqual(await rustIds(rustLlama3(), text));
    // Response = each assistant content + its <|eot_id|>, encoded independently by Rust.
    const response = (await rustIds(rustLlama3(), 'Hello!')).length + 1 + (await rustIds(rustLlama3(), 'Goodbye.')).length + 1;
    expect(got.response).toBe(response);
    const eot = (await rustIds(rustLlama3(), '<|eot_id|>'))[0];
    const trainedIds = got.ids.filter((_, i) => got.trained[i]);
    expect(trainedIds).toEqual([...(await rustIds(rustLlama3(), 'Hello!')), eot, ...(await rustIds(rustLlama3(), 'Goodbye.')), eot]);
    expect(got.instruction + got.response).toBe(got.total);
  });

  it('tools in the first user message (Llama 3.1): refused prefixes merge into the next turn; tool output JSON-encoded', async () => {
    const tpl = readFileSync(join(REALDATA, 'tokenizers/trl-chat-templates/llama3_1.jinja'), 'utf8');
    const path = localTokenizer({ chat_template: tpl, bos_token: '<|begin_of_text|>', eos_token: '<|eot_id|>' });
    const enc = new TokenEncoder(await resolveTokenizerFiles({ spec: path }));
    const template = makeTemplate({ kind: 'tokenizer', encoder: enc });
    const tools = [{ type: 'function' as const, function: { name: 'add', description: 'Add two numbers', parameters: { type: 'object', properties: { a: { type: 'number' } } } } }];
    const messages: Message[] = [
      { role: 'system', content: 'Use tools.' },
      { role: 'user', content: 'What is 2+3?' },
      { role: 'assistant', content: '{"name": "add", "parameters": {"a": 2, "b": 3}}' },
      { role: 'tool', content: '5' },
      { role: 'assistant', content: 'It is 5.' },
    ];
    const segs = template.segments({ messages, tools });
    const text = segs.map((s) => s.text).join('');
    expect(text).toContain('<|start_header_id|>ipython<|end_header_id|>\n\n"5"<|eot_id|>');
    expect(text).toContain('"name": "add"');
    const got = maskTokens(enc, segs, DEFAULT_POLICY);
    expect(got.ids).toEqual(await rustIds(rustLlama3(), text));
    const eot = (await rustIds(rustLlama3(), '<|eot_id|>'))[0];
    const trainedIds = got.ids.filter((_, i) => got.trained[i]);
    expect(trainedIds).toEqual([...(await rustIds(rustLlama3(), messages[2].content)), eot, ...(await rustIds(rustLlama3(), 'It is 5.')), eot]);
  });

  it('the llama3 preset carries the Llama 3.2 template (identical to TRL’s copy) and it renders', async () => {
    const enc = new TokenEncoder(await resolveTokenizerFiles({ spec: 'llama3' }));
    expect(enc.config.chat_template).toBe(readFileSync(join(REALDATA, 'tokenizers/trl-chat-templates/llama3_2.jinja'), 'utf8'));
    const template = makeTemplate({ kind: 'tokenizer', encoder: enc });
    const text = template.segments({ messages: CHAT }).map((s) => s.text).join('');
    expect(text).toContain('Today Date: 26 Jul 2024\n\n');
    expect(text.endsWith('Goodbye.<|eot_id|>')).toBe(true);
  });
});

describe('template errors', () => {
  it('a filter @huggingface/jinja lacks is named in a clear UsageError', async () => {
    const path = localTokenizer({ chat_template: "{% for m in messages | reject('none') %}{{ m.content }}{% endfor %}", bos_token: '<|begin_of_text|>', eos_token: '<|eot_id|>' });
    const enc = new TokenEncoder(await resolveTokenizerFiles({ spec: path }));
    const template = makeTemplate({ kind: 'tokenizer', encoder: enc });
    let err: unknown;
    try {
      template.segments({ messages: CHAT });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect(String((err as Error).message)).toMatch(/filter `reject` is not supported/);
  });

  it('a tokenizer without chat_template asks for --template chatml', async () => {
    const path = localTokenizer({});
    const enc = new TokenEncoder(await resolveTokenizerFiles({ spec: path }));
    expect(() => makeTemplate({ kind: 'tokenizer', encoder: enc })).toThrow(/--template chatml/);
  });
});
