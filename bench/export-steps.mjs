// Times each export step on N normalized SFT rows (default 20,000): append into Arrow builders, IPC write,
// parquet-wasm IPC import, parquet-wasm encode (zstd, page stats, id without dictionary); 6 runs, median of the last 5.
// Input: what `chatmill convert` writes. Run `npm run build` first.
//   node bench/export-steps.mjs [normalized-sft.jsonl] [rows]
import { readFileSync } from 'node:fs';
import { COLUMNS } from '../dist/src/export/columns.js';
import { arrowSchema } from '../dist/src/export/arrow-schema.js';
import { BatchBuilder } from '../dist/src/export/arrow-batch.js';
import { columnGetters } from '../dist/src/export/rows.js';
import { RecordBatchStreamWriter } from 'apache-arrow';
import * as pw from 'parquet-wasm';
const [path = 'bench/work/out-t/sft.jsonl', rowsArg = '20000'] = process.argv.slice(2);
const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean).slice(0, Number(rowsArg)).map((l) => JSON.parse(l));
const bb = new BatchBuilder(arrowSchema(COLUMNS.sft), columnGetters(COLUMNS.sft));
const T = {};
const time = (k, f) => { const t = performance.now(); const r = f(); (T[k] ??= []).push(performance.now() - t); return r; };
for (let rep = 0; rep < 6; rep++) {
  bb.reset();
  const batch = time('append (builders + row bytes)', () => { for (const r of lines) bb.append(r); return bb.finish(); });
  const ipc = time('IPC write', () => RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true));
  const tb = time('pw.Table.fromIPCStream', () => pw.Table.fromIPCStream(ipc));
  const props = new pw.WriterPropertiesBuilder().setColumnDictionaryEnabled('id', false).setCompression(pw.Compression.ZSTD).setStatisticsEnabled(pw.EnabledStatistics.Page).build();
  time('encode (zstd, page stats)', () => pw.writeParquet(tb, props));
}
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const [k, v] of Object.entries(T)) console.log(k.padEnd(32), v.map((x) => x.toFixed(0)).join(' '), ' median', med(v.slice(1)).toFixed(0));
