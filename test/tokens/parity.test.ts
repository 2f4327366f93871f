import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_REALDATA, REALDATA, encoders, rustHermes3, rustIds, rustLlama3 } from './helpers.js';

/** A varied corpus: prose, code, CJK, emoji (incl. ZWJ sequences), whitespace runs, special tokens. */
const CORPUS = [
  'Hello world',
  "The quick brown fox doesn't jump; it's 3.14159 times faster than 1000000 snails.",
  '  lots   of\n\n\n   spaces\t\t and tabs\r\n\r\nCRLF',
  '                                                                ',
  '\n\n\n\n',
  '日本語のテキスト、中文文本，한국어 텍스트',
  '今天天气很好。我们去公园散步吧！',
  'emoji 👨‍👩‍👧‍👦 🎉🎉 🇯🇵 ❤️ 🤖',
  'def f(x):\n    return x**2  # square\n\nclass A:\n\tpass\n',
  'const a = {b: [1, 2, 3]}; // 🚀\nif (a?.b) { console.log(`${a.b}`) }',
  '<|begin_of_text|>hi<|eot_id|>\n<|start_header_id|>user<|end_header_id|>\n\nq',
  '<|im_start|>system\nYou are Hermes.<|im_end|>\n<|im_start|>user\nHi!<|im_end|>\n',
  'Ünïcödé àccents, ß, ﬁ ligature, Ελληνικά, русский, العربية, हिन्दी',
  "I'M SHOUTING'S 'LL 'VE caps contractions",
  '12345678901234567890 1,234.56 0x1F',
  '<|im_start|><|im_end|><|im_start|>',
  'a\u00a0b\u2003c\u200bd',
  'trailing space ',
];

describe('token ids equal the Rust tokenizer (same tokenizer.json)', () => {
  it('llama3 preset on the varied corpus', async () => {
    const { llama3 } = await encoders();
    for (const text of CORPUS) expect(llama3.encode(text), text).toEqual(await rustIds(rustLlama3(), text));
  });

  it('hermes3 preset on the varied corpus, with ChatML tokens as single ids', async () => {
    const { hermes3 } = await encoders();
    for (const text of CORPUS) expect(hermes3.encode(text), text).toEqual(await rustIds(rustHermes3(), text));
    const imStart = (await rustIds(rustHermes3(), '<|im_start|>'))[0];
    const imEnd = (await rustIds(rustHermes3(), '<|im_end|>'))[0];
    expect([hermes3.tokenId('<|im_start|>'), hermes3.tokenId('<|im_end|>')]).toEqual([imStart, imEnd]);
    expect(hermes3.encode('<|im_start|>')).toHaveLength(1);
  });

  it('a second pass (cache warm) gives the same ids', async () => {
    const { llama3 } = await encoders();
    for (const text of CORPUS) expect(llama3.encode(text)).toEqual(await rustIds(rustLlama3(), text));
  });

  it('vocab size matches the Rust tokenizer', async () => {
    const { hermes3 } = await encoders();
    expect(hermes3.vocabSize).toBe(rustHermes3().getVocabSize(true));
  });

  it('byte offsets equal the Rust offsets (converted to code points) for whole-character tokens', async () => {
    const { llama3 } = await encoders();
    for (const text of CORPUS) {
      const ids = llama3.encode(text);
      const starts = llama3.byteStarts(ids, text);
      const enc = await rustLlama3().encode(text, null, { addSpecialTokens: false });
      const offs = enc.getOffsets();
      const cps = Array.from(text);
      // byte offset -> code point index, for boundaries that fall between characters
      const byteToCp = new Map<number, number>();
      let b = 0;
      cps.forEach((c, i) => {
        byteToCp.set(b, i);
        b += Buffer.byteLength(c);
      });
      byteToCp.set(b, cps.length);
      ids.forEach((_, i) => {
        const cp = byteToCp.get(starts[i]);
        if (cp !== undefined) expect(cp, `${text} token ${i}`).toBe(offs[i][0]);
      });
    }
  });
});

describe.skipIf(!HAS_REALDATA)('token ids on the real files equal the Rust tokenizer', () => {
  const files = ['llamafactory/alpaca_en_demo.json', 'llamafactory/alpaca_zh_demo.json', 'llamafactory/glaive_toolcall_en_demo.json', 'fastchat/dummy_conversation.json'];
  it.each(files)('%s (every string value)', async (file) => {
    const { hermes3 } = await encoders();
    const texts: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'string') texts.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(JSON.parse(readFileSync(join(REALDATA, file), 'utf8')));
    const encs = await rustHermes3().encodeBatch(texts, { addSpecialTokens: false });
    let mismatches = 0;
    texts.forEach((t, i) => {
      if (JSON.stringify(hermes3.encode(t)) !== JSON.stringify(encs[i].getIds())) mismatches++;
    });
    expect(mismatches).toBe(0);
    expect(texts.length).toBeGreaterThan(100);
  });
});
