#!/usr/bin/env node
/**
 * Tokens/s of chatmill's encoder (dist/, built with `npx tsc -p .`) beside Hugging Face's Rust tokenizer
 * (npm `tokenizers`) on the same texts and the same tokenizer.json. Texts: every string in the real data
 * files when ../shared/realdata is present, else a generated mix. Ids are compared too.
 *   node bench/tokens.mjs [--tokenizer hermes3|llama3] [--repeat N]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import rust from 'tokenizers';
import { TokenEncoder } from '../dist/src/tokens/encoder.js';
import { resolveTokenizerFiles } from '../dist/src/tokens/source.js';

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : def;
};
const spec = arg('--tokenizer', 'hermes3');
const repeat = Number(arg('--repeat', '3'));

function corpus() {
  const root = join(process.cwd(), '..', 'shared', 'realdata');
  const files = ['llamafactory/alpaca_en_demo.json', 'llamafactory/alpaca_zh_demo.json', 'llamafactory/glaive_toolcall_en_demo.json', 'llamafactory/glaive_toolcall_zh_demo.json', 'fastchat/dummy_conversation.json', 'llamafactory/dpo_en_demo.json'];
  const texts = [];
  const walk = (v) => (typeof v === 'string' ? texts.push(v) : v && typeof v === 'object' && Object.values(v).forEach(walk));
  for (const f of files) if (existsSync(join(root, f))) walk(JSON.parse(readFileSync(join(root, f), 'utf8')));
  if (texts.length) return { texts, from: 'realdata' };
  const bits = ['The quick brown fox jumps over the lazy dog. ', 'def f(x):\n    return x * 2\n', '日本語のテキスト。', '🤖🎉 ', '    \n\n', '12345 '];
  for (let i = 0; i < 20000; i++) texts.push(Array.from({ length: 1 + (i % 40) }, (_, j) => bits[(i + j) % bits.length]).join(''));
  return { texts, from: 'generated' };
}

const { texts, from } = corpus();
const chars = texts.reduce((n, t) => n + t.length, 0);
const files = await resolveTokenizerFiles({ spec });
const ours = new TokenEncoder(files);
const rt = rust.Tokenizer.fromString(JSON.stringify(files.json));

const time = async (fn) => {
  const t0 = performance.now();
  const n = await fn();
  return { n, s: (performance.now() - t0) / 1000 };
};
const row = (name, r) => console.log(`${name.padEnd(34)} ${String(r.n).padStart(10)} tokens  ${(r.s * 1000).toFixed(0).padStart(7)} ms  ${Math.round(r.n / r.s).toLocaleString('en-US').padStart(12)} tokens/s`);

console.log(`tokenizer ${spec}; ${texts.length} texts (${from}), ${chars.toLocaleString('en-US')} chars; node ${process.version}`);
const cold = await time(() => texts.reduce((n, t) => n + ours.encode(t).length, 0));
row('chatmill (cold cache)', cold);
for (let i = 0; i < repeat; i++) row(`chatmill (warm) #${i + 1}`, await time(() => texts.reduce((n, t) => n + ours.encode(t).length, 0)));
for (let i = 0; i < repeat; i++) row(`rust tokenizers encodeBatch #${i + 1}`, await time(async () => (await rt.encodeBatch(texts, { addSpecialTokens: false })).reduce((n, e) => n + e.getLength(), 0)));
row('rust tokenizers encode (one by one)', await time(async () => {
  let n = 0;
  for (const t of texts) n += (await rt.encode(t, null, { addSpecialTokens: false })).getLength();
  return n;
}));

const encs = await rt.encodeBatch(texts, { addSpecialTokens: false });
let mismatches = 0;
texts.forEach((t, i) => {
  const a = ours.encode(t);
  const b = encs[i].getIds();
  if (a.length !== b.length || a.some((x, j) => x !== b[j])) mismatches++;
});
console.log(`id mismatches vs Rust: ${mismatches} of ${texts.length}`);
