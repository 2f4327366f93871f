import { describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../schemas/chatml.js';
import { countTokens, maskTokens } from '../../src/tokens/count.js';
import { DEFAULT_POLICY, type MaskPolicy } from '../../src/tokens/masks.js';
import { makeTemplate } from '../../src/tokens/template.js';
import { HAS_REALDATA, encoders, rustHermes3, rustIds } from './helpers.js';
import { metaIds } from './meta-bpe.js';

/**
 * Expected ids are built piece by piece with the RUST tokenizer: each piece is encoded alone and the
 * results concatenated. That equals encoding the whole text only where pieces meet at a pre-token
 * boundary, which holds here: special tokens split first, and every content starts with a letter and
 * every header ends with "\n". Labels are written down from axolotl's conventions, not from our code.
 */
const R = (text: string) => rustIds(rustHermes3(), text);
const conv = (messages: Message[], extra: Partial<Conversation> = {}): Conversation => ({ id: 'x', source: 's', index: 0, format: 't', messages, ...extra });

async function expected(pieces: Array<[string, boolean]>): Promise<{ ids: number[]; trained: boolean[] }> {
  const ids: number[] = [];
  const trained: boolean[] = [];
  for (const [text, t] of pieces) {
    const p = await R(text);
    ids.push(...p);
    trained.push(...p.map(() => t));
  }
  return { ids, trained };
}

async function ours(c: Conversation, policy: Partial<MaskPolicy> = {}) {
  const { hermes3 } = await encoders();
  const template = makeTemplate({ kind: 'chatml', encoder: hermes3 });
  return maskTokens(hermes3, template.segments(c), { ...DEFAULT_POLICY, ...policy });
}

/** The tokenize stage's count-only path (no per-token arrays) on the same record. */
async function counted(c: Conversation, policy: Partial<MaskPolicy> = {}) {
  const { hermes3 } = await encoders();
  const template = makeTemplate({ kind: 'chatml', encoder: hermes3 });
  return countTokens(hermes3, template.segments(c), { ...DEFAULT_POLICY, ...policy });
}

/** Total and response counts the Rust-built expectation implies. */
const countsOf = (want: { ids: number[]; trained: boolean[] }) => {
  const response = want.trained.filter(Boolean).length;
  return { total: want.ids.length, instruction: want.ids.length - response, response };
};

/** One turn's pieces: header, content, <|im_end|>, newline. */
const turn = (role: string, content: string, contentTrained: boolean, eosTrained = contentTrained): Array<[string, boolean]> => [
  ['<|im_start|>', false],
  [`${role}\n`, false],
  [content, contentTrained],
  ['<|im_end|>', eosTrained],
  ['\n', false],
];
const BOS: [string, boolean] = ['<|begin_of_text|>', false];

const MULTI: Message[] = [
  { role: 'system', content: 'You are Hermes, a helpful assistant.' },
  { role: 'user', content: 'What is 2+2?' },
  { role: 'assistant', content: 'It is 4.' },
  { role: 'user', content: 'And 3*3? 日本語で。' },
  { role: 'assistant', content: 'Nine 🎉\n```py\nprint(9)\n```' },
];

describe('masks follow axolotl defaults (train_on_eos: turn, roles_to_train: [assistant])', () => {
  it('multi-turn chat with a system prompt: exact ids and labels', async () => {
    const want = await expected([
      BOS,
      ...turn('system', MULTI[0].content, false),
      ...turn('user', MULTI[1].content, false),
      ...turn('assistant', MULTI[2].content, true),
      ...turn('user', MULTI[3].content, false),
      ...turn('assistant', MULTI[4].content, true),
    ]);
    const got = await ours(conv(MULTI));
    expect(got.ids).toEqual(want.ids);
    expect(got.trained).toEqual(want.trained);
    // and the whole text, tokenized once by Rust with its own BOS, gives the same ids
    const text = MULTI.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('');
    expect(got.ids).toEqual(await rustIds(rustHermes3(), text, true));
    expect(got.instruction + got.response).toBe(got.total);
    expect(got.response).toBe(want.trained.filter(Boolean).length);
    const c = await counted(conv(MULTI));
    expect(c).toMatchObject(countsOf(want));
    // Tokens through each turn: BOS plus every turn's pieces up to it, as Rust encodes them.
    const perTurn = await Promise.all(MULTI.map(async (m) => (await expected(turn(m.role, m.content, false))).ids.length));
    expect(c.tokensThroughTurn).toEqual(perTurn.map((_, k) => 1 + perTurn.slice(0, k + 1).reduce((a, b) => a + b, 0)));
  });

  it('hand-checked ids for a tiny chat (ChatML tokens in the Hermes 3 slots, BOS 128000)', async () => {
    const got = await ours(conv([{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }]));
    const imStart = (await R('<|im_start|>'))[0];
    const imEnd = (await R('<|im_end|>'))[0];
    const [user, nl] = await R('user\n');
    const [assistant] = await R('assistant');
    const [hi] = await R('Hi');
    const [hello] = await R('Hello');
    expect(got.ids).toEqual([128000, imStart, user, nl, hi, imEnd, nl, imStart, assistant, nl, hello, imEnd, nl]);
    expect(got.trained).toEqual([false, false, false, false, false, false, false, false, false, false, true, true, false]);
    expect([got.total, got.instruction, got.response]).toEqual([13, 11, 2]);
  });

  it('tool turns are masked; the tools block in the system turn is instruction', async () => {
    const messages: Message[] = [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>' },
      { role: 'tool', content: '<tool_response>\n{"temp": 21}\n</tool_response>' },
      { role: 'assistant', content: 'It is 21 degrees.' },
    ];
    const got = await ours(conv(messages));
    const want = await expected([BOS, ...turn('user', messages[0].content, false), ...turn('assistant', messages[1].content, true), ...turn('tool', messages[2].content, false), ...turn('assistant', messages[3].content, true)]);
    expect(got.ids).toEqual(want.ids);
    expect(got.trained).toEqual(want.trained);
    expect(await counted(conv(messages))).toMatchObject(countsOf(want));
  });

  it('train_on_eos none and all', async () => {
    const m = MULTI.slice(0, 3);
    const none = await ours(conv(m), { trainOnEos: 'none' });
    const wantNone = await expected([BOS, ...turn('system', m[0].content, false), ...turn('user', m[1].content, false), ...turn('assistant', m[2].content, true, false)]);
    expect(none.trained).toEqual(wantNone.trained);
    expect(await counted(conv(m), { trainOnEos: 'none' })).toMatchObject(countsOf(wantNone));
    const all = await ours(conv(m), { trainOnEos: 'all' });
    const wantAll = await expected([BOS, ...turn('system', m[0].content, false, true), ...turn('user', m[1].content, false, true), ...turn('assistant', m[2].content, true, true)]);
    expect(all.trained).toEqual(wantAll.trained);
    expect(await counted(conv(m), { trainOnEos: 'all' })).toMatchObject(countsOf(wantAll));
  });

  it('roles_to_train assistant,user trains user turns too (not system)', async () => {
    const got = await ours(conv(MULTI.slice(0, 3)), { rolesToTrain: ['assistant', 'user'] });
    const want = await expected([BOS, ...turn('system', MULTI[0].content, false), ...turn('user', MULTI[1].content, true), ...turn('assistant', MULTI[2].content, true)]);
    expect(got.trained).toEqual(want.trained);
    expect(await counted(conv(MULTI.slice(0, 3)), { rolesToTrain: ['assistant', 'user'] })).toMatchObject(countsOf(want));
  });

  it('last_turn_only trains only the final assistant turn', async () => {
    const got = await ours(conv(MULTI), { lastTurnOnly: true });
    const want = await expected([BOS, ...turn('system', MULTI[0].content, false), ...turn('user', MULTI[1].content, false), ...turn('assistant', MULTI[2].content, false), ...turn('user', MULTI[3].content, false), ...turn('assistant', MULTI[4].content, true)]);
    expect(got.trained).toEqual(want.trained);
    expect(await counted(conv(MULTI), { lastTurnOnly: true })).toMatchObject(countsOf(want));
  });

  it('straddle rule: a token spanning header and content belongs to where its first byte is', async () => {
    // Content starting with "\n" merges with the header's "\n" into one pre-token "\n\n" (one token).
    const got = await ours(conv([{ role: 'user', content: 'Q' }, { role: 'assistant', content: '\nAnswer' }]));
    const [nlnl] = await R('\n\n');
    expect(await R('\n\n')).toHaveLength(1);
    const i = got.ids.indexOf(nlnl);
    expect(i).toBeGreaterThan(0);
    expect(got.trained[i]).toBe(false); // first byte is the header's "\n": instruction
    expect(got.trained[i + 1]).toBe(true); // "Answer"
    expect(got.ids).toEqual(await rustIds(rustHermes3(), '<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n\nAnswer<|im_end|>\n', true));
    expect(got.instruction + got.response).toBe(got.total);
    // Counting alone applies the same rule: the response is "Answer" and <|im_end|>, not the shared "\n\n".
    const whole = await rustIds(rustHermes3(), '<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n\nAnswer<|im_end|>\n', true);
    const response = (await R('Answer')).length + 1;
    expect(await counted(conv([{ role: 'user', content: 'Q' }, { role: 'assistant', content: '\nAnswer' }]))).toMatchObject({ total: whole.length, response, instruction: whole.length - response });
  });

  it('instruction + response = total on random-ish chats, and total equals Rust on the whole text', async () => {
    const bits = ['  ', '\n', 'x', ' word', '😀', '中', '\t', '123', "'s", ''];
    for (let seed = 1; seed < 40; seed++) {
      const pick = (k: number) => Array.from({ length: (seed * k) % 7 }, (_, j) => bits[(seed * 31 + j * k) % bits.length]).join('');
      const messages: Message[] = [
        { role: 'system', content: pick(3) },
        { role: 'user', content: pick(5) },
        { role: 'assistant', content: pick(11) },
      ];
      const got = await ours(conv(messages));
      expect(got.instruction + got.response).toBe(got.total);
      const text = messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('');
      expect(got.ids).toEqual(await rustIds(rustHermes3(), text, true));
      const c = await counted(conv(messages));
      expect([c.total, c.instruction, c.response]).toEqual([got.ids.length, got.instruction, got.response]);
    }
  });
});

describe.skipIf(!HAS_REALDATA)("base-vocabulary ids agree with Meta's tokenizer.model", () => {
  it('English, code, CJK and emoji contents', async () => {
    const { hermes3 } = await encoders();
    for (const text of ['It is 4.', 'Nine 🎉\n```py\nprint(9)\n```', 'And 3*3? 日本語で。', "Don't stop   believing\n\n  ok"]) {
      expect(hermes3.encode(text), text).toEqual(metaIds(text));
    }
  });
});
