#!/usr/bin/env node
// Foundation benchmark: generate a ~2 GB JSONL (deterministic, streamed; the bench corpus generator), run
// `chatmill convert` on it as a child process, and report its peak RSS (VmHWM, polled from /proc) and time.
// Writes bench/results-convert.json. Usage: npm run build && node bench/convert-2gb.mjs [--gb 2]
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { SEED, makeGenerator } from './corpus.mjs';

const i = process.argv.indexOf('--gb');
const gb = i > 0 ? Number(process.argv[i + 1]) : 2;
const target = gb * 1e9;
const work = join('bench', 'work');
mkdirSync(work, { recursive: true });
const input = join(work, `convert-${SEED}-${gb}gb.jsonl`);

if (!existsSync(input) || statSync(input).size < target) {
  const next = makeGenerator(SEED);
  const out = createWriteStream(input);
  let bytes = 0;
  for (let n = 0; bytes < target; n++) {
    const line = `${next(n)}\n`;
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
const size = statSync(input).size;
const output = join(work, 'convert-out.jsonl');
rmSync(output, { force: true });

const t0 = performance.now();
const child = spawn(process.execPath, ['dist/src/cli/main.js', 'convert', input, '-o', output, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
let stdout = '';
child.stdout.on('data', (d) => (stdout += d));
let peakKb = 0;
const hwm = () => {
  try {
    const m = readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
    if (m) peakKb = Math.max(peakKb, Number(m[1]));
  } catch {
    // the process has just exited
  }
};
const timer = setInterval(hwm, 50);
const [code] = await once(child, 'exit');
clearInterval(timer);
const seconds = (performance.now() - t0) / 1000;
const summary = JSON.parse(stdout || '{}');
const result = {
  date: new Date().toISOString(),
  command: `node bench/convert-2gb.mjs --gb ${gb}`,
  node: process.version,
  inputBytes: size,
  exitCode: code,
  seconds,
  mbPerSecond: size / 1e6 / seconds,
  read: summary.read,
  kept: summary.kept,
  rejected: summary.rejected,
  dropped: summary.dropped,
  peakRssMB: peakKb / 1024,
};
writeFileSync(join('bench', 'results-convert.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(`convert ${(size / 1e9).toFixed(2)} GB: exit ${code}, ${seconds.toFixed(1)} s (${result.mbPerSecond.toFixed(0)} MB/s), read ${summary.read}, kept ${summary.kept}, peak RSS ${result.peakRssMB.toFixed(0)} MB (target < 300 MB)`);
rmSync(output, { force: true });
