/**
 * Named chat templates (issue 13 parts 1, 2 and 6). A tokenizer_config whose `chat_template` holds Hermes 3's
 * two named templates: the real `tool_use` one (../shared/realdata/tokenizers/hermes3/, read, not copied) and
 * `default`. Through `--template tokenizer`, chatmill must count what transformers counts when it chooses
 * the template itself (tool_use for records with tools, default otherwise), and what it counts with a
 * template name forced. Expectations come from transformers (test/interop/trainer_view.py).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../schemas/chatml.js';
import { TokenEncoder } from '../../src/tokens/encoder.js';
import { resolveTokenizerFiles } from '../../src/tokens/source.js';
import { countConversation, resolvePolicy } from '../../src/tokens/stage.js';
import { makeTemplate } from '../../src/tokens/template.js';
import { chatmill, ROOT } from '../helpers/cli.js';
import { haveRealdata, real } from '../helpers/realdata.js';
import { LLAMA3_TOKENIZER_JSON, readJsonl, runInterop, trainerView } from './helpers.js';

const MINUTES = 60_000;
const TOOL_USE = real('tokenizers/hermes3/NousResearch-Hermes-3-Llama-3.1-8B-tool_use.jinja');
type Counts = { records: Array<[string, number, number]> };

describe.runIf(runInterop && haveRealdata)('Hermes 3 named chat templates (default + the real tool_use) against transformers', () => {
  let dir: string;
  let tokDir: string;
  let records: Conversation[];
  let audit: { template: string };
  const env = () => ({ HF_HOME: join(dir, 'hf-home') });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chatmill-named-'));
    tokDir = join(dir, 'hermes3-tok');
    await trainerView(['hermes3-tokenizer-dir', TOOL_USE, LLAMA3_TOKENIZER_JSON, tokDir], env());
    const pipeline = {
      name: 'named-templates',
      out: join(dir, 'out'),
      datasets: {
        sft: {
          kind: 'sft',
          inputs: ['tool_use.hermes.jsonl', 'tool_use.openai.jsonl', 'general.openai.jsonl'].map((f) => join(ROOT, 'data', 'sft', f)),
          stages: [{ validate: {} }, { tokenize: { tokenizer: tokDir, template: 'tokenizer' } }, { audit: {} }, { write: { path: 'sft.jsonl' } }],
        },
      },
    };
    await writeFile(join(dir, 'pipeline.json'), JSON.stringify(pipeline));
    const r = await chatmill(['run', join(dir, 'pipeline.json')]);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    records = readJsonl<Conversation>(await readFile(join(dir, 'out', 'sft.jsonl'), 'utf8'));
    audit = JSON.parse(await readFile(join(dir, 'out', 'audit.json'), 'utf8'));
  }, 10 * MINUTES);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('every record (tools: tool_use; none: default) has the counts transformers gives when it picks the template itself', async () => {
    const withTools = records.filter((r) => r.tools?.length).length;
    expect(withTools).toBeGreaterThan(150);
    expect(records.length - withTools).toBeGreaterThan(1000);
    const got = await trainerView<Counts>(['named-template-counts', tokDir, join(dir, 'out', 'sft.jsonl')], env());
    expect(got.records).toEqual(records.map((r) => [r.id, r.n_tokens, r.n_response_tokens]));
  }, 10 * MINUTES);

  it('the audit names the templates that counted', () => {
    expect(audit.template).toBe('tokenizer:default+tool_use');
  });

  it('a forced name (library chatTemplateName, the --chat-template-name option) renders every record with that template, as apply_chat_template(chat_template=NAME) does', async () => {
    const encoder = new TokenEncoder(await resolveTokenizerFiles({ spec: tokDir }));
    const withTools = records.filter((r) => r.tools?.length).slice(0, 40);
    // transformers itself cannot render tool_use without tools (`for tool in tools` over None), so that
    // name is forced on records with tools only; default is forced on both kinds.
    for (const [name, sample] of [['default', [...withTools, ...records.filter((r) => !r.tools?.length).slice(0, 40)]], ['tool_use', withTools]] as const) {
      const file = join(dir, `sample-${name}.jsonl`);
      await writeFile(file, sample.map((r) => JSON.stringify(r)).join('\n') + '\n');
      const template = makeTemplate({ kind: 'tokenizer', encoder, chatTemplateName: name });
      expect(template.name).toBe(`tokenizer:${name}`);
      const ours = sample.map((r) => {
        const m = countConversation({ tokenizer: encoder, template, policy: resolvePolicy({}) }, r);
        return [r.id, m.total, m.response];
      });
      const got = await trainerView<Counts>(['named-template-counts', tokDir, file, name], env());
      expect(got.records, name).toEqual(ours);
    }
  }, 10 * MINUTES);

  it('part 6: without a system prompt, Hermes 3\'s default template adds its own system turn, so its counts exceed ChatML\'s by exactly that turn', async () => {
    const plain = records.filter((r) => !r.tools?.length);
    const noSystem = plain.filter((r) => r.messages[0]?.role !== 'system');
    const withSystem = plain.filter((r) => r.messages[0]?.role === 'system');
    expect(noSystem.length).toBeGreaterThan(100);
    expect(withSystem.length).toBeGreaterThan(10);
    const file = join(dir, 'plain.jsonl');
    await writeFile(file, plain.map((r) => JSON.stringify(r)).join('\n') + '\n');
    // transformers' counts under chatmill's ChatML (the default --template chatml), for the same records.
    const chatml = new Map((await trainerView<Counts>(['sft-counts', LLAMA3_TOKENIZER_JSON, file], env())).records.map(([id, n, resp]) => [id, [n, resp]]));
    const extra = new Set(noSystem.map((r) => r.n_tokens! - chatml.get(r.id)![0]));
    // "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n": instruction tokens only.
    expect([...extra]).toHaveLength(1);
    expect([...extra][0]).toBeGreaterThan(5);
    for (const r of noSystem) expect(r.n_response_tokens).toBe(chatml.get(r.id)![1]);
    for (const r of withSystem) expect([r.n_tokens, r.n_response_tokens]).toEqual(chatml.get(r.id));
  }, 10 * MINUTES);
});
