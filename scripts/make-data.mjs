// Regenerates every file under data/ byte-identically: SFT inputs in nine categories and several
// container formats, preference inputs, README.md and manifest.json. Usage: node scripts/make-data.mjs
import { mkdirSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SFT_FILES } from './make-data/sft-specs.mjs';
import { buildSftFile } from './make-data/sft.mjs';
import { explicit, implicit, hh, kto } from './make-data/preference.mjs';
import { ultrafeedback } from './make-data/ultrafeedback.mjs';
import { renderReadme } from './make-data/readme.mjs';
import { nearIndex } from './make-data/near.mjs';
import { benchmarkJsonl, BENCHMARK_NAME } from './make-data/benchmark.mjs';

const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');
const sizes = {};
function write(rel, content) {
  const path = join(DATA, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  sizes[rel] = statSync(path).size;
}

// SFT: a global `seen` set keeps good records unique across all files.
const seen = new Set();
const near = nearIndex();
const sft = SFT_FILES.map((spec) => buildSftFile(spec, seen, near));
for (const f of sft) {
  let bytes = Buffer.from(f.body, 'utf8');
  if (f.spec.crlf) bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
  // gzip with mtime 0 and fixed level so the archive is reproducible.
  if (f.spec.gzip) bytes = gzipSync(bytes, { level: 9 });
  write(`sft/${f.spec.file}`, bytes);
}

// The small benchmark the default pipeline decontaminates against (its items are planted in some SFT files).
write(`benchmarks/${BENCHMARK_NAME}.jsonl`, benchmarkJsonl());

const prefSeen = new Set();
const NOTES = {
  'explicit.trl.jsonl': ['trl_explicit', 'TRL conversational, explicit prompt: `{"prompt":[messages],"chosen":[assistant],"rejected":[assistant]}`; some prompts start with a system message.'],
  'implicit.trl.jsonl': ['trl_implicit', 'TRL conversational, implicit prompt: `{"chosen":[full conversation],"rejected":[full conversation]}`; the two share every turn except the last assistant reply (unless a defect says otherwise). 2-3 user turns.'],
  'ratings.ultrafeedback.jsonl': ['ultrafeedback', 'UltraFeedback-like: `{"prompt","completions":[4 x {"model","response","overall_score","annotations":{"helpfulness":{"Rating"},"honesty":{"Rating"}}}]}`. `overall_score` is a number, or in `string_scores` records a numeric string for all four completions. Ratings inside annotations are strings "1"-"5". Missing/`"N/A"` scores are always on the worst completion, never the best.'],
  'hh.transcripts.jsonl': ['hh', 'Anthropic HH style `{"chosen":"\\n\\nHuman: ...\\n\\nAssistant: ...","rejected":"..."}`; chosen and rejected share every turn but the last assistant reply (unless a defect says otherwise). Turn texts contain no newlines.'],
  'kto.jsonl': ['kto', 'Unpaired preference: `{"messages":[user, assistant],"label":true|false}`.'],
};
const pref = [explicit(prefSeen), implicit(prefSeen), ultrafeedback(prefSeen), hh(prefSeen), kto(prefSeen)].map((p) => ({ ...p, format: NOTES[p.file][0], note: NOTES[p.file][1] }));
for (const p of pref) write(`preference/${p.file}`, p.lines.join('\n') + '\n');

const manifest = {
  sft: Object.fromEntries(sft.map((f) => [f.spec.file, { category: f.spec.category, format: f.spec.format, ...f.stats }])),
  preference: Object.fromEntries(pref.map((p) => [p.file, { format: p.format, records: p.lines.length, ...p.stats }])),
};
write('manifest.json', JSON.stringify(manifest, null, 2) + '\n');

// README size depends on its own text, so render twice: the second pass sees the settled total.
const dataTotal = () => Object.entries(sizes).reduce((s, [, n]) => s + n, 0);
let readme = '';
for (let i = 0; i < 3; i++) { readme = renderReadme({ sft, pref, sizes, totalSize: dataTotal() }); write('README.md', readme); }

for (const f of sft) console.log(`${f.spec.file.padEnd(34)} records=${f.stats.records} good=${f.stats.good} bad=${JSON.stringify(f.stats.bad)} warn=${JSON.stringify(f.stats.warn)}`);
for (const p of pref) console.log(`${p.file.padEnd(34)} records=${p.lines.length} planted=${JSON.stringify(p.stats.bad)}`);
console.log(`data/ total ${dataTotal()} bytes in ${readdirSync(DATA, { recursive: true }).length} entries`);
