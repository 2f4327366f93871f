// A corpus for the curation bench whose text repeats like real text: sentences of the real conversations in
// ../shared/realdata (Alpaca-GPT4 en/zh, glaive tool calls, FastChat, the OpenAI cookbook drone file, KTO,
// LLaMA-Factory v1) recombined into new conversations, with near-duplicates and exact copies of earlier
// records and benchmark items planted in user turns, all at known rates. The phrase-bank generator in
// bench/corpus.mjs draws words independently; real text shares sentences, formulas and boilerplate, which
// is what fills LSH buckets and benchmark n-gram postings.
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { gunzipSync } from 'node:zlib';
import { prng } from './corpus.mjs';
import { runIngest } from '../dist/src/ingest.js';

export const REALDATA = new URL('../../shared/realdata/', import.meta.url).pathname;
const FILES = ['llamafactory/alpaca_en_demo.json', 'llamafactory/alpaca_zh_demo.json', 'llamafactory/glaive_toolcall_en_demo.json', 'llamafactory/glaive_toolcall_zh_demo.json', 'fastchat/dummy_conversation.json', 'openai-cookbook/drone_training.jsonl', 'llamafactory/kto_en_demo.json', 'llamafactory/v1_sft_demo.jsonl'];
export const RATES = { nearDup: 0.05, exactCopy: 0.02, planted: 0.002 };

/** Sentence pools of user and assistant turns of the real files (read through chatmill's normalization). */
export async function sentencePools() {
  if (!existsSync(REALDATA)) throw new Error(`${REALDATA} is absent: the real-text corpus needs ../shared/realdata`);
  const user = [];
  const assistant = [];
  const split = (s) => s.split(/(?<=[.!?。！？\n])\s*/u).filter((x) => x.trim().length > 1);
  await runIngest({
    inputs: FILES.map((f) => REALDATA + f),
    sinks: { reject() {}, drop() {} },
    onOutput: (item) => {
      for (const m of item.value.messages) {
        if (m.role === 'user') user.push(...split(m.content));
        else if (m.role === 'assistant') assistant.push(...split(m.content));
      }
    },
  });
  const bench = [];
  for (const line of readFileSync(`${REALDATA}benchmarks/gsm8k/test.jsonl`, 'utf8').split('\n')) if (line.trim()) bench.push(JSON.parse(line).question);
  for (const line of readFileSync(`${REALDATA}benchmarks/math/test.jsonl`, 'utf8').split('\n')) if (line.trim()) bench.push(JSON.parse(line).problem);
  for (const line of gunzipSync(readFileSync(`${REALDATA}benchmarks/humaneval/HumanEval.jsonl.gz`)).toString('utf8').split('\n')) if (line.trim()) bench.push(JSON.parse(line).prompt);
  return { user, assistant, bench };
}

/** A generator of conversations ({id, messages}); `counts` tallies what was planted. */
export function realTextGenerator(pools, seed = 7) {
  const r = prng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const recent = [];
  const counts = { records: 0, nearDup: 0, exactCopy: 0, planted: 0 };
  const edit = (text, rate) => text.replace(/\p{Script=Han}|[\p{L}\p{N}]+/gu, (w) => (r() < rate ? (/\p{Script=Han}/u.test(w) ? '字' : `zq${Math.floor(r() * 1e6)}`) : w));
  return {
    counts,
    next(i) {
      counts.records++;
      const x = r();
      let messages;
      if (recent.length > 10 && x < RATES.nearDup) {
        counts.nearDup++;
        messages = pick(recent).map((m) => ({ role: m.role, content: m.role === 'system' ? m.content : edit(m.content, 0.02) }));
      } else if (recent.length > 10 && x < RATES.nearDup + RATES.exactCopy) {
        counts.exactCopy++;
        messages = pick(recent);
      } else {
        const turns = r() < 0.8 ? 1 : 2 + Math.floor(r() * 3);
        messages = r() < 0.4 ? [{ role: 'system', content: 'You are a helpful assistant. Answer accurately and concisely.' }] : [];
        for (let t = 0; t < turns; t++) {
          let u = Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(pools.user)).join(' ');
          if (t === 0 && r() < RATES.planted) {
            counts.planted++;
            u = `${u}\n\n${pick(pools.bench)}\n\nPlease explain.`;
          }
          const n = Math.max(1, Math.round(Math.exp(Math.log(8) + 0.8 * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()))));
          messages.push({ role: 'user', content: u }, { role: 'assistant', content: Array.from({ length: n }, () => pick(pools.assistant)).join(' ') });
        }
        recent.push(messages);
        if (recent.length > 2000) recent.splice(0, 1000);
      }
      return { id: `real-${i}`, messages };
    },
  };
}

export async function writeRealCorpus(path, records, seed = 7) {
  const gen = realTextGenerator(await sentencePools(), seed);
  const out = createWriteStream(path);
  let bytes = 0;
  for (let i = 0; i < records; i++) {
    const line = JSON.stringify(gen.next(i));
    bytes += Buffer.byteLength(line) + 1;
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { records, bytes, planted: gen.counts };
}
