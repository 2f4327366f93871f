// Times the export steps on N normalized SFT rows (default 20,000), one row group: records -> Arrow builders,
// then our Parquet writer (zstd level 3, page index), and for comparison parquet-wasm (arrow-rs, zstd level 1)
// on the same batch. 6 runs, median of the last 5. Input: what `chatmill convert` writes. Run `npm run build` first.
//   node bench/export-steps.mjs [normalized-sft.jsonl] [rows]
import { readFileSync, statSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLUMNS } from '../dist/src/export/columns.js';
import { arrowSchema } from '../dist/src/export/arrow-schema.js';
import { BatchBuilder } from '../dist/src/export/arrow-batch.js';
import { columnGetters } from '../dist/src/export/rows.js';
import { ParquetFile } from '../dist/src/export/parquet-file.js';
import { RecordBatchStreamWriter } from 'apache-arrow';
import * as pw from 'parquet-wasm';
const [path = 'bench/work/out-t/sft.jsonl', rowsArg = '20000'] = process.argv.slice(2);
const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean).slice(0, Number(rowsArg)).map((l) => JSON.parse(l));
const schema = arrowSchema(COLUMNS.sft);
const bb = new BatchBuilder(schema, columnGetters(COLUMNS.sft));
const dir = mkdtempSync(join(tmpdir(), 'chatmill-export-steps-'));
const T = {};
const size = {};
const time = async (k, f) => { const t = performance.now(); const r = await f(); (T[k] ??= []).push(performance.now() - t); return r; };
for (let rep = 0; rep < 6; rep++) {
  bb.reset();
  const batch = await time('append (builders + row bytes)', () => { for (const r of lines) bb.append(r); return bb.finish(); });
  for (const compression of ['zstd', 'snappy']) {
    const file = join(dir, `ours-${compression}.parquet`);
    await time(`chatmill writer, ${compression}`, async () => {
      const f = new ParquetFile({ path: file, schema, compression, keyValueMetadata: {}, createdBy: 'bench' });
      await f.writeBatch(batch);
      await f.close();
    });
    size[`chatmill writer, ${compression}`] = statSync(file).size;
  }
  const bytes = await time('parquet-wasm: IPC + import + encode (zstd)', () => {
    const tb = pw.Table.fromIPCStream(RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true));
    const props = new pw.WriterPropertiesBuilder().setColumnDictionaryEnabled('id', false).setCompression(pw.Compression.ZSTD).setStatisticsEnabled(pw.EnabledStatistics.Page).build();
    return pw.writeParquet(tb, props);
  });
  size['parquet-wasm: IPC + import + encode (zstd)'] = bytes.length;
}
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`${lines.length} rows`);
for (const [k, v] of Object.entries(T)) {
  console.log(k.padEnd(44), v.map((x) => x.toFixed(0)).join(' ').padEnd(28), 'median', med(v.slice(1)).toFixed(0), 'ms', size[k] ? `${(size[k] / 1e6).toFixed(2)} MB` : '');
}
