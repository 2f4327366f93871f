// Compare the two installed Parquet encoders on the same rows: parquet-wasm (Arrow IPC in, streamed row groups)
// and hyparquet-writer (pure JS, column arrays in). Prints rows/s and file sizes. Run: node bench/parquet-encoders.mjs [rows]
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';

const N = Number(process.argv[2] ?? 50_000);
// Pseudo-random text (seeded LCG) over a 3,000-word vocabulary with CJK and emoji, so compression is not flattered
// by repeated strings.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const syll = ['ka', 'to', 'ri', 'mon', 'el', 'sa', 'quo', 'ver', 'in', 'dat', '東', '京', '天', '気', '🙂', 'fn'];
const vocab = Array.from({ length: 3000 }, () => Array.from({ length: 1 + Math.floor(rand() * 4) }, () => syll[Math.floor(rand() * syll.length)]).join(''));
const text = (_i, n) => Array.from({ length: n }, () => vocab[Math.floor(rand() * vocab.length)]).join(' ');
const rows = Array.from({ length: N }, (_, i) => ({
  id: `conv-${i}`,
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: text(i, 40 + (i % 50)) },
    { role: 'assistant', content: text(i + 1, 120 + (i % 200)) },
  ],
  category: i % 4 ? `cat-${i % 4}` : null,
  n_tokens: i % 5 ? BigInt(200 + (i % 300)) : null,
}));
const RG = 10_000;

const msgType = new arrow.List(new arrow.Field('item', new arrow.Struct([new arrow.Field('role', new arrow.Utf8(), true), new arrow.Field('content', new arrow.Utf8(), true)]), true));
const schema = new arrow.Schema([
  new arrow.Field('id', new arrow.Utf8(), true),
  new arrow.Field('messages', msgType, true),
  new arrow.Field('category', new arrow.Utf8(), true),
  new arrow.Field('n_tokens', new arrow.Int64(), true),
]);
const toBatch = (slice) =>
  new arrow.RecordBatch(schema, arrow.makeData({
    type: new arrow.Struct(schema.fields), length: slice.length, nullCount: 0,
    children: schema.fields.map((f) => arrow.vectorFromArray(slice.map((r) => r[f.name]), f.type).data[0]),
  }));

async function parquetWasm(codec) {
  const t0 = performance.now();
  let k = 0;
  const input = new ReadableStream({
    pull(c) {
      if (k >= N) return c.close();
      const ipc = arrow.RecordBatchStreamWriter.writeAll([toBatch(rows.slice(k, k + RG))]).toUint8Array(true);
      const t = pw.Table.fromIPCStream(ipc);
      c.enqueue(t.recordBatch(0));
      t.free();
      k += RG;
    },
  }, { highWaterMark: 0 });
  const props = new pw.WriterPropertiesBuilder().setCompression(codec === 'zstd' ? pw.Compression.ZSTD : pw.Compression.SNAPPY)
    .setStatisticsEnabled(pw.EnabledStatistics.Page).setMaxRowGroupSize(2 ** 31 - 1).build();
  let bytes = 0;
  for await (const chunk of await pw.transformParquetStream(input, props)) bytes += chunk.byteLength;
  return { ms: performance.now() - t0, bytes };
}

function hyparquetWriter() {
  const t0 = performance.now();
  const writer = new ByteWriter();
  const pschema = [
    { name: 'root', num_children: 4 },
    { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 'messages', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', repetition_type: 'OPTIONAL', num_children: 2 },
    { name: 'role', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 'content', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 'category', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 'n_tokens', type: 'INT64', repetition_type: 'OPTIONAL' },
  ];
  const pq = new ParquetWriter({ writer, schema: pschema, codec: 'SNAPPY' });
  for (let k = 0; k < N; k += RG) {
    const slice = rows.slice(k, k + RG);
    pq.write({
      rowGroupSize: RG,
      columnData: [
        { name: 'id', data: slice.map((r) => r.id) },
        { name: 'messages', data: slice.map((r) => r.messages), columnIndex: true },
        { name: 'category', data: slice.map((r) => r.category) },
        { name: 'n_tokens', data: slice.map((r) => r.n_tokens) },
      ],
    });
  }
  pq.finish();
  return { ms: performance.now() - t0, bytes: writer.getBuffer().byteLength };
}

const raw = rows.reduce((s, r) => s + r.messages.reduce((m, x) => m + Buffer.byteLength(x.content) + x.role.length, 0) + r.id.length, 0);
console.log(`${N} rows, ~${(raw / 1e6).toFixed(1)} MB of text, row groups of ${RG}`);
for (const [name, run] of [
  ['parquet-wasm snappy', () => parquetWasm('snappy')],
  ['parquet-wasm zstd', () => parquetWasm('zstd')],
  ['hyparquet-writer snappy', () => hyparquetWriter()],
]) {
  try {
    await run(); // warm-up
    const { ms, bytes } = await run();
    console.log(`${name.padEnd(26)} ${Math.round(N / (ms / 1000)).toLocaleString('en-US').padStart(10)} rows/s  ${(bytes / 1e6).toFixed(2).padStart(7)} MB`);
  } catch (err) {
    console.log(`${name.padEnd(26)} failed: ${err.message}`);
  }
}
