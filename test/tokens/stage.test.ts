import { describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../schemas/chatml.js';
import { renderChatML } from '../../src/chatml/render.js';
import { AuditAccumulator, auditStage } from '../../src/tokens/audit.js';
import { tokenizeStage, type OverLengthPolicy } from '../../src/tokens/stage.js';
import { makeTemplate } from '../../src/tokens/template.js';
import type { Keep, Outcome, StageContext } from '../../src/types.js';
import { keep } from '../../src/types.js';
import { encoders, rustHermes3, rustIds } from './helpers.js';

const ctx: StageContext = { warn: () => {}, noteFormat: () => {} };
const MESSAGES: Message[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Name a colour.' },
  { role: 'assistant', content: 'Blue.' },
  { role: 'user', content: 'Another one, please, with a long explanation of why.' },
  { role: 'assistant', content: 'Green, because it is the colour of leaves and calm and of many other things besides.' },
];
const conv = (messages: Message[], extra: Partial<Conversation> = {}): Conversation => ({ id: 'c1', source: 'f.json', index: 0, format: 'openai', messages, ...extra });

/** Total tokens of a conversation per the Rust tokenizer (with its own BOS), independent of our code. */
const rustTotal = (c: Conversation) => rustIds(rustHermes3(), renderChatML(c.messages, c.tools), true).then((ids) => ids.length);
/** Response tokens: each assistant content + its <|im_end|>, by Rust. */
async function rustResponse(messages: Message[]): Promise<number> {
  let n = 0;
  for (const m of messages) if (m.role === 'assistant') n += (await rustIds(rustHermes3(), m.content)).length + 1;
  return n;
}

async function run(c: Conversation, overLength: OverLengthPolicy, maxLength: number) {
  const { hermes3 } = await encoders();
  const over: string[] = [];
  const stage = tokenizeStage({ tokenizer: hermes3, template: makeTemplate({ kind: 'chatml', encoder: hermes3 }), maxLength, overLength, onOverLength: (x) => over.push(x.id) });
  async function* input(): AsyncIterable<Keep<Conversation>> {
    yield keep({ source: c.source, index: 0 }, c, '{}');
  }
  const out: Outcome<Conversation>[] = [];
  for await (const o of stage.run(input(), ctx)) out.push(o);
  return { out, over };
}

describe('tokenize stage', () => {
  it('adds n_tokens / n_instruction_tokens / n_response_tokens equal to the Rust counts', async () => {
    const c = conv(MESSAGES);
    const { out, over } = await run(c, 'keep', 8192);
    expect(out[0].kind).toBe('keep');
    const v = (out[0] as Keep<Conversation>).value;
    expect(v.n_tokens).toBe(await rustTotal(c));
    expect(v.n_response_tokens).toBe(await rustResponse(MESSAGES));
    expect(v.n_instruction_tokens! + v.n_response_tokens!).toBe(v.n_tokens);
    expect(over).toEqual([]);
  });

  it('tools from the record go into the system turn, all instruction', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'get_time', description: 'Current time', parameters: { type: 'object', properties: {} } } }];
    const c = conv(MESSAGES.slice(1, 3), { tools });
    const v = ((await run(c, 'keep', 8192)).out[0] as Keep<Conversation>).value;
    expect(v.n_tokens).toBe(await rustTotal(c));
    expect(v.n_tokens).toBeGreaterThan(await rustTotal(conv(MESSAGES.slice(1, 3))));
    expect(v.n_response_tokens).toBe(await rustResponse(MESSAGES.slice(1, 3)));
  });

  it('keep: an over-length record is kept with its full counts and reported', async () => {
    const c = conv(MESSAGES);
    const { out, over } = await run(c, 'keep', 20);
    expect((out[0] as Keep<Conversation>).value.n_tokens).toBe(await rustTotal(c));
    expect(over).toEqual(['c1']);
  });

  it('drop: an over-length record is dropped with reason over_max_length', async () => {
    const { out, over } = await run(conv(MESSAGES), 'drop', 20);
    expect(out[0]).toMatchObject({ kind: 'drop', reason: 'over_max_length', id: 'c1' });
    expect(over).toEqual(['c1']);
  });

  it('truncate: cut at the last whole turn that fits, never mid-turn', async () => {
    const full = await rustTotal(conv(MESSAGES));
    const firstThree = conv(MESSAGES.slice(0, 3));
    const fits = await rustTotal(firstThree);
    expect(fits).toBeLessThan(full);
    const { out } = await run(conv(MESSAGES), 'truncate', fits + 5);
    const v = (out[0] as Keep<Conversation>).value;
    expect(v.messages).toEqual(MESSAGES.slice(0, 3));
    expect(v.n_tokens).toBe(fits);
    expect(v.n_response_tokens).toBe(await rustResponse(MESSAGES.slice(0, 3)));
    expect(v.meta).toMatchObject({ truncated_from_messages: 5 });
  });

  it('truncate: when no prefix with a trained turn fits, the record is dropped', async () => {
    const { out } = await run(conv(MESSAGES), 'truncate', 5);
    expect(out[0]).toMatchObject({ kind: 'drop', reason: 'over_max_length' });
  });

  it('audit stage after tokenize accumulates the same numbers', async () => {
    const { hermes3 } = await encoders();
    const acc = new AuditAccumulator({ tokenizer: { name: hermes3.name, vocab_size: hermes3.vocabSize, sha256: hermes3.sha256 }, template: 'chatml', maxLength: 8192 });
    const c = conv(MESSAGES, { category: 'chat' });
    const { out } = await run(c, 'keep', 8192);
    async function* again(): AsyncIterable<Keep<Conversation>> {
      yield out[0] as Keep<Conversation>;
    }
    for await (const _ of auditStage(acc).run(again(), ctx)) void _;
    const a = acc.result();
    expect(a.tokens).toBe(await rustTotal(c));
    expect(a.by_category.chat.records).toBe(1);
    expect(a.tokenizer.vocab_size).toBe(128256);
  });
});
