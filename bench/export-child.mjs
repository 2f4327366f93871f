// The export stage on its own, for a like-for-like comparison with DuckDB (which also runs alone, on all cores):
// the rows of the pipeline's own shards are read into memory first (with DuckDB, not timed), then chatmill's
// ShardWriter writes them to zstd Parquet (timed: Arrow builders, encoding, compression, disk). Prints one JSON line.
//   node bench/export-child.mjs OUTDIR SHARD.parquet...
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ShardWriter } from '../dist/src/export/shard-writer.js';
const [out, ...shards] = process.argv.slice(2);
rmSync(out, { recursive: true, force: true });
const conn = await (await DuckDBInstance.create(':memory:')).connect();
const list = shards.map((s) => `'${s.replaceAll("'", "''")}'`).join(',');
const rows = (await conn.runAndReadAll(`SELECT * FROM read_parquet([${list}])`)).getRowObjectsJS();
conn.closeSync();
const num = (v) => (v === null ? undefined : Number(v));
const records = rows.map((r) => ({
  id: r.id, source: r.source, index: Number(r.index), format: r.format, category: r.category ?? undefined,
  messages: r.messages, tools: r.tools ? JSON.parse(r.tools) : undefined,
  n_tokens: num(r.n_tokens), n_instruction_tokens: num(r.n_instruction_tokens), n_response_tokens: num(r.n_response_tokens),
}));
const t0 = performance.now();
const w = new ShardWriter({ dir: out, config: 'sft', split: 'train', kind: 'sft', maxShardBytes: 500e6, compression: 'zstd' });
for (const r of records) await w.add(r);
const result = await w.finish();
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, rows: result.numRows, bytes: result.files.reduce((n, f) => n + statSync(join(out, f.path)).size, 0) }));
