// A benchmark corpus of conversations made of real sentences: every sentence, code block and math solution comes
// from the third-party files in ../shared/realdata (instruction data, preference data, HH-RLHF transcripts,
// benchmark questions and solutions), drawn with a fixed seed into OpenAI `messages` records. Unlike the
// phrase-bank corpus (bench/corpus.mjs), the words follow real text, so the encoder's pre-token cache hits as
// often as it does on real data. Categories follow the Hermes 3 mixture; no tools (the Python peer renders
// plain ChatML). Nothing is written into the project: the corpus goes to bench/work/.
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { prng } from './corpus.mjs';

export const REAL_SEED = 20241115;
export const REALDATA = join(process.cwd(), '..', 'shared', 'realdata');

const PROSE_FILES = [
  'llamafactory/alpaca_en_demo.json', 'llamafactory/dpo_en_demo.json', 'llamafactory/kto_en_demo.json', 'llamafactory/glaive_toolcall_en_demo.json',
  'fastchat/dummy_conversation.json', 'anthropic-hh-rlhf/harmless-base_test.jsonl.gz', 'benchmarks/alpaca_eval/example_outputs.json',
  'benchmarks/arena-hard/v0.1_question.jsonl', 'benchmarks/ifeval/input_data.jsonl', 'benchmarks/mmlu_stem/test.jsonl', 'stanford_alpaca/seed_tasks.jsonl',
];
const CJK_FILES = ['llamafactory/alpaca_zh_demo.json', 'llamafactory/dpo_zh_demo.json', 'llamafactory/glaive_toolcall_zh_demo.json'];
const MATH_FILES = ['benchmarks/gsm8k/test.jsonl', 'benchmarks/math/test.jsonl'];
const CODE_FILE = 'benchmarks/humaneval/HumanEval.jsonl.gz';

function values(file) {
  const path = join(REALDATA, file);
  if (!existsSync(path)) return [];
  let buf = readFileSync(path);
  if (file.endsWith('.gz')) buf = gunzipSync(buf);
  const text = buf.toString('utf8');
  const docs = file.includes('.jsonl') ? text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)) : [JSON.parse(text)];
  const out = [];
  const walk = (v) => (typeof v === 'string' ? out.push(v) : v && typeof v === 'object' && Object.values(v).forEach(walk));
  docs.forEach(walk);
  return out;
}

/** Sentences of 20–400 characters: split after . ! ? (and the CJK stops) and at line breaks; HH speaker tags dropped. */
function sentences(texts) {
  const out = new Set();
  for (const t of texts) {
    for (const s of t.replace(/\n\n(Human|Assistant):/g, '\n').split(/(?<=[.!?。！？])\s*|\n+/u)) {
      const v = s.trim();
      if (v.length >= 20 && v.length <= 400 && !v.startsWith('{') && !v.startsWith('[')) out.add(v);
    }
  }
  return [...out];
}

export function loadPools() {
  const prose = sentences(PROSE_FILES.flatMap(values));
  const cjk = sentences(CJK_FILES.flatMap(values));
  const math = [];
  for (const f of MATH_FILES) for (const line of readFileSync(join(REALDATA, f), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    if (r.question && r.answer) math.push([r.question, r.answer]);
    else if (r.problem && r.solution) math.push([r.problem, r.solution]);
  }
  const code = gunzipSync(readFileSync(join(REALDATA, CODE_FILE))).toString('utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)).map((r) => [r.prompt, r.prompt + r.canonical_solution]);
  if (prose.length < 1000) throw new Error(`only ${prose.length} real sentences found under ${REALDATA}`);
  return { prose, cjk, math, code };
}

const CATEGORIES = [['general', 0.55], ['domain_expert', 0.13], ['math', 0.07], ['roleplay', 0.07], ['coding', 0.06], ['tool_use', 0.05], ['content_generation', 0.04], ['steering', 0.03]];

export function makeRealGenerator(pools, seed = REAL_SEED) {
  const r = prng(seed);
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = (a) => a[Math.floor(r() * a.length)];
  const para = (pool, n) => Array.from({ length: n }, () => pick(pool)).join(r() < 0.2 ? '\n\n' : ' ');
  // Log-normal reply lengths in sentences (median ~9), so a few records are long.
  const replyLen = () => Math.max(1, Math.round(Math.exp(2.2 + 0.7 * (r() + r() + r() - 1.5))));
  return function record(i) {
    let x = r();
    let cat = CATEGORIES[0][0];
    for (const [c, w] of CATEGORIES) if ((x -= w) < 0) { cat = c; break; }
    const zh = r() < 0.05;
    const pool = zh ? pools.cjk : pools.prose;
    const messages = r() < 0.3 ? [{ role: 'system', content: para(pools.prose, int(1, 2)) }] : [];
    const turns = r() < 0.7 ? 1 : int(2, 3);
    for (let t = 0; t < turns; t++) {
      if (cat === 'math' && !zh) {
        const [q, a] = pick(pools.math);
        messages.push({ role: 'user', content: q }, { role: 'assistant', content: a });
      } else if (cat === 'coding' && !zh) {
        const [q, a] = pick(pools.code);
        messages.push({ role: 'user', content: `${para(pools.prose, 1)}\n\n${q}` }, { role: 'assistant', content: `\`\`\`python\n${a}\`\`\`\n\n${para(pools.prose, int(1, 3))}` });
      } else {
        messages.push({ role: 'user', content: para(pool, int(1, 3)) }, { role: 'assistant', content: para(pool, replyLen()) });
      }
    }
    return JSON.stringify({ id: `real-${i}`, category: cat, messages });
  };
}

export async function writeRealCorpus(path, records, seed = REAL_SEED) {
  const next = makeRealGenerator(loadPools(), seed);
  const out = createWriteStream(path);
  for (let i = 0; i < records; i++) if (!out.write(`${next(i)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}
