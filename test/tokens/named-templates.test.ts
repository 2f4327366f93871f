/**
 * A tokenizer_config whose chat_template is a list of {name, template} (Hermes 3, Command R): the template is
 * chosen per record by transformers' rule (PreTrainedTokenizerBase.get_chat_template: `tool_use` when tools
 * are given and it exists, else `default`; a name passed by the caller wins). test/interop checks the counts
 * against transformers itself; this checks the choice and the errors without Python.
 */
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Message, ToolSchema } from '../../schemas/chatml.js';
import { TokenEncoder } from '../../src/tokens/encoder.js';
import { llama3Dir, resolveTokenizerFiles } from '../../src/tokens/source.js';
import { makeTemplate } from '../../src/tokens/template.js';
import { describeTemplate } from '../../src/tokens/template-name.js';
import { UsageError } from '../../src/types.js';

const turn = (tag: string) => `{% for m in messages %}${tag}[{{ m['role'] }}]{{ m['content'] }}<|eot_id|>{% endfor %}`;
const DEFAULT = turn('D');
const TOOL_USE = `T{{ tools | length }}` + turn('T');
const chat: Message[] = [
  { role: 'user', content: 'Weather?' },
  { role: 'assistant', content: 'Sunny.' },
];
const tools: ToolSchema[] = [{ type: 'function', function: { name: 'get_weather', parameters: {} } }];

async function encoderWith(chatTemplate: unknown): Promise<TokenEncoder> {
  const dir = mkdtempSync(join(tmpdir(), 'chatmill-named-'));
  symlinkSync(join(llama3Dir(), 'tokenizer.json'), join(dir, 'tokenizer.json'));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ chat_template: chatTemplate, bos_token: '<|begin_of_text|>', eos_token: '<|eot_id|>' }));
  return new TokenEncoder(await resolveTokenizerFiles({ spec: dir }));
}
const text = (segs: Array<{ text: string }>) => segs.map((s) => s.text).join('');

describe('named chat templates', () => {
  let both: TokenEncoder;
  beforeAll(async () => {
    both = await encoderWith([
      { name: 'default', template: DEFAULT },
      { name: 'tool_use', template: TOOL_USE },
    ]);
  });

  it('tool_use renders records with tools, default the others; the audit label names both', () => {
    const t = makeTemplate({ kind: 'tokenizer', encoder: both });
    expect(t.name).toBe('tokenizer:default+tool_use');
    expect(text(t.segments({ messages: chat, tools }))).toBe('T1T[user]Weather?<|eot_id|>T[assistant]Sunny.<|eot_id|>');
    expect(t.templateFor?.({ messages: chat, tools })).toBe('tokenizer:tool_use');
    expect(text(t.segments({ messages: chat }))).toBe('D[user]Weather?<|eot_id|>D[assistant]Sunny.<|eot_id|>');
    expect(t.templateFor?.({ messages: chat, tools: [] })).toBe('tokenizer:default');
    expect(describeTemplate(t.name)).toMatch(/`tool_use` for records with tools, `default` for the others/);
  });

  it('chatTemplateName (--chat-template-name) forces one template for every record', () => {
    const t = makeTemplate({ kind: 'tokenizer', encoder: both, chatTemplateName: 'default' });
    expect(t.name).toBe('tokenizer:default');
    expect(text(t.segments({ messages: chat, tools }))).toBe('D[user]Weather?<|eot_id|>D[assistant]Sunny.<|eot_id|>');
  });

  it('an unknown name, a name with --template chatml, or several templates without default are usage errors', async () => {
    expect(() => makeTemplate({ kind: 'tokenizer', encoder: both, chatTemplateName: 'rag' })).toThrow(/"default", "tool_use"/);
    expect(() => makeTemplate({ kind: 'chatml', encoder: both, chatTemplateName: 'default' })).toThrow(UsageError);
    const single = await encoderWith(DEFAULT);
    expect(makeTemplate({ kind: 'tokenizer', encoder: single }).name).toBe('tokenizer');
    expect(() => makeTemplate({ kind: 'tokenizer', encoder: single, chatTemplateName: 'default' })).toThrow(/single, unnamed chat_template/);
    const noDefault = await encoderWith([{ name: 'tool_use', template: TOOL_USE }, { name: 'rag', template: DEFAULT }]);
    const t = makeTemplate({ kind: 'tokenizer', encoder: noDefault });
    expect(text(t.segments({ messages: chat, tools }))).toMatch(/^T1/);
    expect(() => t.segments({ messages: chat })).toThrow(/no `default`; choose one with --chat-template-name/);
  });
});
