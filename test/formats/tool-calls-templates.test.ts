/**
 * Structured tool calls through real chat templates (`--template tokenizer`, src/tokens/jinja-template.ts): the
 * template gets `tool_calls` and tool turns as TRL gives them from the export, and writes its own layout, with
 * no `<tool_response>` inside a `<tool_response>`. Expected texts are written by hand from each template file.
 * test/interop checks the counts against transformers.
 */
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Message, ToolSchema } from '../../schemas/chatml.js';
import { TokenEncoder } from '../../src/tokens/encoder.js';
import { llama3Dir, resolveTokenizerFiles } from '../../src/tokens/source.js';
import { makeTemplate } from '../../src/tokens/template.js';
import { haveRealdata, real } from '../helpers/realdata.js';

async function encoderWith(chatTemplate: unknown, eos: string): Promise<TokenEncoder> {
  const dir = mkdtempSync(join(tmpdir(), 'chatmill-tooltpl-'));
  symlinkSync(join(llama3Dir(), 'tokenizer.json'), join(dir, 'tokenizer.json'));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ chat_template: chatTemplate, bos_token: '<|begin_of_text|>', eos_token: eos }));
  return new TokenEncoder(await resolveTokenizerFiles({ spec: dir }));
}

const tools: ToolSchema[] = [
  { type: 'function', function: { name: 'get_weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string', description: 'City' } } } } },
];
const messages: Message[] = [
  { role: 'user', content: 'Weather in Oslo?' },
  { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: { city: 'Oslo' } } }] },
  { role: 'tool', content: '{"temp": -3}', name: 'get_weather', tool_call_id: 'c1' },
  { role: 'assistant', content: 'It is -3 °C.' },
];

describe.runIf(haveRealdata)('real templates render structured tool calls natively', () => {
  it("Hermes 3's tool_use: one <tool_call> block from the call, the raw output in one <tool_response>; the call is the trained content", async () => {
    const toolUse = readFileSync(real('tokenizers/hermes3/NousResearch-Hermes-3-Llama-3.1-8B-tool_use.jinja'), 'utf8');
    const t = makeTemplate({ kind: 'tokenizer', encoder: await encoderWith([{ name: 'tool_use', template: toolUse }], '<|im_end|>') });
    const segs = t.segments({ messages, tools });
    const full = segs.map((s) => s.text).join('');
    expect(full).toContain(
      '<|im_start|>assistant\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tool_call><|im_end|>\n' +
        // A tool turn that is not the last message ends `</tool_response>\n<|im_end|>` with no newline after it (the template's own layout).
        '<|im_start|>tool\n<tool_response>\n{"temp": -3}\n</tool_response>\n<|im_end|><|im_start|>assistant\nIt is -3 °C.<|im_end|>\n',
    );
    expect(full.split('<tool_response>').length - 1).toBe(1);
    const turn1 = segs.filter((s) => s.turn === 1);
    expect(turn1.map((s) => [s.kind, s.text])).toEqual([
      ['header', '<|im_start|>assistant\n'],
      ['content', '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tool_call>'],
      ['eos', '<|im_end|>'],
      ['separator', '\n'],
    ]);
  });

  it("vLLM's Llama 3.1 JSON tool template: the call as its JSON, the output as {\"output\": ...}", async () => {
    const llama = readFileSync(real('tokenizers/vllm-templates/tool_chat_template_llama3.1_json.jinja'), 'utf8');
    const t = makeTemplate({ kind: 'tokenizer', encoder: await encoderWith(llama, '<|eot_id|>') });
    const segs = t.segments({ messages, tools });
    const full = segs.map((s) => s.text).join('');
    // The template prints `arguments | tojson`: the exported arguments are a JSON string, so it is quoted (as
    // transformers renders the same export); the output is wrapped once.
    expect(full).toContain('{"name": "get_weather", "parameters": "{\\"city\\": \\"Oslo\\"}"}<|eot_id|>');
    expect(full).toContain('<|start_header_id|>ipython<|end_header_id|>\n\n{"output": "{\\"temp\\": -3}"}<|eot_id|>');
    expect(full).not.toContain('tool_response');
    const call = segs.find((s) => s.turn === 1 && s.kind === 'content')!;
    expect(call.text).toBe('{"name": "get_weather", "parameters": "{\\"city\\": \\"Oslo\\"}"}');
  });
});
