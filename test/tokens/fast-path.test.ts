import { describe, expect, it } from 'vitest';
import { Tokenizer } from '@huggingface/tokenizers';
import { resolveTokenizerFiles } from '../../src/tokens/source.js';
import { renderChatML } from '../../src/chatml/render.js';
import { normalizeRecord } from '../../src/formats/normalize.js';
// The benchmark's corpus generator: prose (Zipf words + new words), code, math, CJK, tool calls and JSON.
import { makeGenerator } from '../../bench/corpus.mjs';
import { encoders, rustHermes3 } from './helpers.js';

/** Rendered ChatML of generated records, plus edge cases for the integer BPE and the inline pre-tokenizer. */
function corpus(): string[] {
  const next = makeGenerator(7);
  const texts: string[] = [];
  for (let i = 0; i < 400; i++) {
    const r = normalizeRecord(JSON.parse(next(i)), { source: 't', index: i }, {});
    if (r.ok) texts.push(`<|begin_of_text|>${renderChatML(r.conversation.messages, r.conversation.tools)}`);
  }
  texts.push(
    'x'.repeat(5000), // one pre-token longer than the fast path takes (library fallback)
    '語'.repeat(400), // 1200 bytes of CJK in one pre-token
    ' '.repeat(3000) + 'end',
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbb', // equal-rank ties: leftmost first
    "don't I'M we'LL 123456789 1,000,000.00",
    '🙂🙂🙂 👨‍👩‍👧 \u0000\u0001 \ufeff tab\tnl\r\n',
  );
  return texts;
}

describe('fast path (integer BPE + inline pre-tokenizer + cache) gives the reference ids', () => {
  const texts = corpus();

  it('equals the Rust tokenizers ids on every text', async () => {
    const { hermes3 } = await encoders();
    const encs = await rustHermes3().encodeBatch(texts, { addSpecialTokens: false });
    let tokens = 0;
    texts.forEach((t, i) => {
      const ids = hermes3.encode(t);
      tokens += ids.length;
      expect(ids, t.slice(0, 80)).toEqual(encs[i].getIds());
    });
    expect(tokens).toBeGreaterThan(100_000);
  });

  it('equals plain @huggingface/tokenizers encode() (the pure-JS reference) on every text', async () => {
    const { hermes3 } = await encoders();
    const files = await resolveTokenizerFiles({ spec: 'hermes3' });
    const reference = new Tokenizer(files.json, files.config);
    for (const t of texts) expect(hermes3.encode(t), t.slice(0, 80)).toEqual(reference.encode(t, { add_special_tokens: false }).ids);
  });
});
