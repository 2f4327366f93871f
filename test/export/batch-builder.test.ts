import { describe, expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordBatch, Struct, makeData, vectorFromArray, type Schema } from 'apache-arrow';
import { BatchBuilder } from '../../src/export/arrow-batch.js';
import { arrowSchema } from '../../src/export/arrow-schema.js';
import { COLUMNS, type ExportKind } from '../../src/export/columns.js';
import { ParquetFile } from '../../src/export/parquet-file.js';
import { columnGetters, type ExportRecord } from '../../src/export/rows.js';
import { DPO, HERMES_TEXT, SFT, manySft } from './records.js';
import { duckRows } from './helpers.js';

/**
 * The reference path, kept only here: rows written out by hand from the record fields, then apache-arrow's own
 * `vectorFromArray` per column with the schema's types (what the exporter used before it built buffers itself).
 */
function referenceBatch(schema: Schema, records: readonly ExportRecord[]): RecordBatch {
  const cell = (r: ExportRecord, name: string): unknown => {
    const v = (r as Record<string, unknown>)[name];
    if (name === 'tools') return r.tools && r.tools.length ? JSON.stringify(r.tools) : null;
    if (v === undefined || v === null) return null;
    // Turns with tool calls as data are written as Hermes text in role/content columns (written out by hand there).
    if (Array.isArray(v)) return (name === 'messages' && HERMES_TEXT[r.id]) || v.map((m: { role: string; content: string }) => ({ role: m.role, content: m.content }));
    const f = schema.fields.find((x) => x.name === name);
    return String(f?.type) === 'Int64' ? BigInt(v as number) : v;
  };
  const children = schema.fields.map((f) => vectorFromArray(records.map((r) => cell(r, f.name)) as never[], f.type).data[0]);
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: records.length, nullCount: 0, children }));
}

function fastBatch(kind: ExportKind, records: readonly ExportRecord[]): { batch: RecordBatch; bytes: number[] } {
  const b = new BatchBuilder<ExportRecord>(arrowSchema(COLUMNS[kind]), columnGetters(COLUMNS[kind]));
  const bytes = records.map((r) => b.append(r));
  return { batch: b.finish(), bytes };
}

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));

/** Every column, every row, as plain JS; plus each column's null count and type. */
function expectSameBatch(got: RecordBatch, want: RecordBatch): void {
  expect(got.numRows).toBe(want.numRows);
  expect(String(got.schema.fields.map((f) => `${f.name}:${f.type}:${f.nullable}`))).toBe(
    String(want.schema.fields.map((f) => `${f.name}:${f.type}:${f.nullable}`)),
  );
  for (const f of want.schema.fields) {
    const g = got.getChild(f.name)!;
    const w = want.getChild(f.name)!;
    expect(g.nullCount, f.name).toBe(w.nullCount);
    for (let i = 0; i < w.length; i++) expect(json(g.get(i)), `${f.name}[${i}]`).toBe(json(w.get(i)));
  }
}

/** Edge cases the SFT fixtures lack: empty strings and lists, nulls everywhere allowed, lone surrogates, long text. */
const EDGE: ExportRecord[] = [
  { id: '', source: '', index: 0, format: '', messages: [] },
  { id: 'e1', source: 's', index: 2 ** 40, format: 'f', category: '', messages: [{ role: 'user', content: '' }], n_tokens: 0 },
  { id: 'e2 🧪', source: 'ソース', index: 3, format: 'f', messages: [{ role: 'user', content: 'bad \ud800 half' }, { role: 'assistant', content: '\udfff' }] },
  { id: 'e3', source: 's', index: 4, format: 'f', category: '数学', messages: [{ role: 'assistant', content: '🎉'.repeat(70_000) + 'é'.repeat(50_000) }] },
  { id: 'e4', source: 's', index: 5, format: 'f', messages: [{ role: 'user', content: 'x', weight: 0 } as never], n_instruction_tokens: 7 },
] as ExportRecord[];

const KTO: ExportRecord[] = [
  { id: 'k1', source: 'k', index: 0, format: 'kto', prompt: [{ role: 'user', content: '質問 ❓' }], completion: [{ role: 'assistant', content: 'ok' }], label: true, n_prompt_tokens: 3 },
  { id: 'k2', source: 'k', index: 1, format: 'kto', prompt: [], completion: [{ role: 'assistant', content: '' }], label: false, category: 'c' },
] as ExportRecord[];

describe('BatchBuilder builds the same Arrow data as apache-arrow vectorFromArray', () => {
  const cases: [string, ExportKind, ExportRecord[]][] = [
    ['sft fixtures', 'sft', SFT],
    ['sft edge cases', 'sft', EDGE],
    ['sft bulk (buffers grow past their first size)', 'sft', [...manySft(3000), ...EDGE, ...SFT]],
    ['dpo fixtures', 'dpo', DPO],
    ['kto', 'kto', KTO],
  ];
  test.each(cases)('%s: every value and null', (_name, kind, records) => {
    expectSameBatch(fastBatch(kind, records).batch, referenceBatch(arrowSchema(COLUMNS[kind]), records));
  });

  test('a row taken back with truncate() leaves no trace; reset() starts a fresh batch', () => {
    const records = [...SFT, ...EDGE];
    const b = new BatchBuilder<ExportRecord>(arrowSchema(COLUMNS.sft), columnGetters(COLUMNS.sft));
    for (const r of records) b.append(r);
    b.truncate(2); // drops a row with nulls, the empty list and the long row
    for (const r of [EDGE[1], SFT[2]]) b.append(r);
    expectSameBatch(b.finish(), referenceBatch(arrowSchema(COLUMNS.sft), [SFT[0], SFT[1], EDGE[1], SFT[2]]));
    b.reset();
    b.append(EDGE[0]);
    expectSameBatch(b.finish(), referenceBatch(arrowSchema(COLUMNS.sft), [EDGE[0]]));
  });

  test('row bytes follow the Arrow size of each value, counted by hand', () => {
    // id "conv-001"(8) + messages [system 6+28, user 4+(12 CJK × 3 + space + 🌸 4), assistant 9+(7×3 + 1 + ☀️ 6
    // + 1 + 5×3 + "22" + 度。 6)] + category "general"(7) + tools null
    // + 3 int64 + source "chats.jsonl"(11) + index + format "sharegpt"(8) + repeat (null): 11 validity bits,
    // 4-byte offsets for 6 variable-size columns, 8 bytes per int64 (5), and per message 8 bytes of child offsets
    // + 2 validity bits.
    const texts = SFT[0].messages.map((m) => Buffer.byteLength(m.role) + Buffer.byteLength(m.content));
    expect(texts).toEqual([6 + 28, 4 + 41, 9 + 52]);
    const want = 11 / 8 + 6 * 4 + 5 * 8 + (8 + 7 + 11 + 8) + 3 * (8 + 0.25) + (34 + 45 + 61);
    const { bytes } = fastBatch('sft', [SFT[0], EDGE[0]]);
    expect(bytes[0]).toBe(want);
    expect(bytes[1]).toBe(11 / 8 + 6 * 4 + 5 * 8); // all strings empty or null, no messages
  });

  test('written to Parquet, both batches read back identically in DuckDB', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatmill-batch-'));
    const records = [...SFT, ...EDGE, ...manySft(500)];
    const schema = arrowSchema(COLUMNS.sft);
    const read: Record<string, unknown>[][] = [];
    for (const [name, batch] of [['fast', fastBatch('sft', records).batch], ['reference', referenceBatch(schema, records)]] as const) {
      const path = join(dir, `${name}.parquet`);
      const file = new ParquetFile({ path, schema, compression: 'zstd', keyValueMetadata: {}, createdBy: 'test' });
      await file.writeBatch(batch);
      await file.close();
      read.push(await duckRows(`SELECT * FROM read_parquet('${path}')`));
    }
    expect(read[0]).toHaveLength(records.length);
    expect(json(read[0])).toBe(json(read[1]));
    // Lone surrogates became U+FFFD on both paths; extra message keys did not reach the file.
    expect(read[0][SFT.length + 2].messages).toEqual([
      { role: 'user', content: 'bad \ufffd half' },
      { role: 'assistant', content: '\ufffd' },
    ]);
    expect(read[0][SFT.length + 4].messages).toEqual([{ role: 'user', content: 'x' }]);
  });
});
