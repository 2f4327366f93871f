// `node bench/scale.mjs [--records 100000] [--no-one-rank]`: one pipeline over the bench corpus as one process, as 1 rank
// (map → decide → apply → merge), and as 2 ranks (two processes per phase, one tokenizer thread each on a
// 2-core machine), with every phase timed; writes bench/results-scale.json. Build first (npx tsc).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { SEED, writeCorpus } from './corpus.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : def;
};
const records = Number(arg('--records', '100000'));
const work = join('bench', 'work');
mkdirSync(work, { recursive: true });
const corpus = join(work, `corpus-${SEED}-${records}.jsonl`);
if (!existsSync(corpus)) await writeCorpus(corpus, records);

const pipeline = join(work, 'scale-pipeline.yaml');
writeFileSync(
  pipeline,
  `name: scale-bench
out: ${join(work, 'scale-single')}
datasets:
  sft:
    inputs: [${corpus}]
    stages:
      - validate: {}
      - dedup: {}
      - tokenize: { tokenizer: hermes3 }
      - audit: {}
      - write: { path: sft.jsonl }
      - export: { split: train }
`,
);

const BIN = 'dist/src/cli/main.js';
function chatmill(args, env = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`chatmill ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

async function ranks(world, out) {
  rmSync(out, { recursive: true, force: true });
  const env = { CHATMILL_WORKERS: world === 1 ? String(cpus().length) : '1' };
  const phase = async (p, n, w) => {
    const t0 = performance.now();
    await Promise.all([...Array(n).keys()].map((r) => chatmill(['run', pipeline, '--out', out, '--phase', p, '--rank', String(r), '--world-size', String(w)], env)));
    return (performance.now() - t0) / 1000;
  };
  // The default split size is the input over the world size: the one corpus file is cut into `world` byte ranges.
  const t = {};
  const t0 = performance.now();
  t.map = await phase('map', world, world);
  t.decide = await phase('decide', 1, 1);
  t.apply = await phase('apply', world, world);
  t.merge = await chatmill(['merge', join(out, '.run')]);
  t.total = (performance.now() - t0) / 1000;
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  return { ...t, kept: summary.kept };
}

const single = await chatmill(['run', pipeline]);
// The phased run on one rank shows the phases' own overhead; skip it with --no-one-rank when time is short.
const one = process.argv.includes('--no-one-rank') ? undefined : await ranks(1, join(work, 'scale-r1'));
const two = await ranks(2, join(work, 'scale-r2'));
const same = readFileSync(join(work, 'scale-single', 'sft.jsonl')).equals(readFileSync(join(work, 'scale-r2', 'sft.jsonl')));
const result = { date: new Date().toISOString(), records, cpus: cpus().length, singleProcessSeconds: single, oneRank: one, twoRanks: two, twoRanksSftIdenticalToSingle: same };
console.log(JSON.stringify(result, null, 2));
writeFileSync(join('bench', 'results-scale.json'), `${JSON.stringify(result, null, 2)}\n`);
