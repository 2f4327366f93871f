#!/usr/bin/env node
/**
 * The fuzz run at bench scale: ≥ 200,000 mutated real records per seed, over 3 seeds, through the real CLI
 * (`validate`, `convert`, `audit`, `pairs`), with the same checks as test/fuzz/fuzz.test.ts (one copy of the
 * code: test/fuzz/*.mjs). Run by hand after a build: `npx tsc -p tsconfig.json && node bench/fuzz.mjs`.
 *
 *   node bench/fuzz.mjs [--seeds 1,2,3] [--scale 8.5] [--keep]
 *
 * Prints per seed: records written, exit codes, per-reason counts, conservation, wall time and peak RSS per
 * command, and every violation found. Exits 1 when any check failed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSeeds } from '../test/fuzz/seeds.mjs';
import { buildCorpus } from '../test/fuzz/corpus.mjs';
import { fuzzCommands } from '../test/fuzz/harness.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'dist/src/cli/main.js');
const REALDATA = fileURLToPath(new URL('../../shared/realdata/', import.meta.url));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const seedsArg = arg('seeds', '1,2,3').split(',').map(Number);
const scale = Number(arg('scale', '8.5')); // 8.5 x the test's corpus: ≥ 200,000 records per seed
const keep = process.argv.includes('--keep');
// Diagnosis: one CLI run per file, so a fault that aborts a whole run does not hide the others.
const perFile = process.argv.includes('--per-file');

if (!existsSync(BIN)) {
  console.error(`bench/fuzz: ${BIN} is missing; build first (npx tsc -p tsconfig.json)`);
  process.exit(2);
}
if (!existsSync(REALDATA)) {
  console.error(`bench/fuzz: ${REALDATA} is absent; the fuzzer mutates real records from there`);
  process.exit(2);
}

// Peak RSS of the child: it reports its own on exit (VmHWM, in KiB; see bench/peak-rss.mjs for why not maxRSS), as a
// marker line on stderr, removed below.
const RSS_MARK = '@@fuzz-maxrss ';
const PRELOAD = `data:text/javascript,import{writeSync}from'node:fs';import{peakRssBytes}from'${new URL('./peak-rss.mjs', import.meta.url).href}';process.on('exit',()=>writeSync(2,'\\n${RSS_MARK}'+Math.round(peakRssBytes()/1024)+'\\n'))`;

function run(args) {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--import', PRELOAD, BIN, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.stdin.end();
    child.on('close', (code, signal) => {
      const m = new RegExp(`\\n?${RSS_MARK}(\\d+)\\n`).exec(stderr);
      if (m) stderr = stderr.replace(m[0], '');
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0, maxRssMb: m ? Math.round(Number(m[1]) / 1024) : undefined });
    });
  });
}

const seeds = loadSeeds(REALDATA);
console.log(`fuzz bench: ${seeds.total} real seed records from ${seeds.sources.length} files; scale ${scale}; seeds ${seedsArg.join(', ')}`);
let failed = false;
for (const seed of seedsArg) {
  const dir = mkdtempSync(join(tmpdir(), `chatmill-fuzz-${seed}-`));
  const t0 = Date.now();
  const corpus = await buildCorpus({ seeds, dir, seed, scale });
  const built = Date.now() - t0;
  if (perFile) {
    for (const [i, f] of corpus.files.entries()) {
      const { violations } = await fuzzCommands({ files: [f], dir: join(dir, `per-file-${i}`), run, pairsTokens: false });
      failed ||= violations.length > 0;
      console.log(`${violations.length ? '✗' : '✓'} ${f.path.split('/').pop()} (${f.kind}, ${f.written} written)`);
      for (const x of violations) console.log(`    [${x.command}] ${x.check}: ${x.detail.slice(0, 400)}`);
    }
    if (!keep) rmSync(dir, { recursive: true, force: true });
    continue;
  }
  const { violations, results } = await fuzzCommands({ files: corpus.files, dir, run, pairsTokens: true });
  console.log(`\n== seed ${seed}: ${corpus.records.toLocaleString('en')} records in ${corpus.files.length} files (corpus written in ${(built / 1000).toFixed(1)} s) ==`);
  for (const [name, r] of Object.entries(results)) {
    const s = r.summary;
    const books = r.books ? `${r.books.conserved}/${r.books.files} files conserved, ${r.books.exact} exact read counts` : 'no books';
    console.log(`${name.padEnd(8)} exit ${r.code}${r.signal ? ` (${r.signal})` : ''}  ${(r.ms / 1000).toFixed(1)} s  peak RSS ${r.maxRssMb ?? '?'} MB  ${s ? `read ${s.read} kept ${s.kept} rejected ${s.rejected} dropped ${s.dropped}` : ''}  ${books}`);
    if (s?.reasons) console.log(`         reasons ${Object.entries(s.reasons).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    if (r.handled.length) console.log(`         stderr: ${r.handled.join(' | ').slice(0, 300)}`);
  }
  const ok = violations.length === 0;
  failed ||= !ok;
  console.log(`conservation and exactly-once: ${ok ? 'OK' : `${violations.length} violation(s)`}`);
  for (const x of violations) console.log(`  ✗ [${x.command}] ${x.check}${x.file ? ` ${x.file}` : ''}: ${x.detail}`);
  if (keep) console.log(`corpus kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
