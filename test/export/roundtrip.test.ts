import { describe, expect, test, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { ShardWriter, type SplitResult } from '../../src/export/shard-writer.js';
import type { Compression } from '../../src/export/parquet-file.js';
import { DPO, SFT } from './records.js';
import { duckRows, expectedRow, hyMetadata, hyRows, withParsedChat, withParsedTools } from './helpers.js';

/** SFT in the role/content layout (tool format hermes-text), which the DPO columns share. */
async function write(dir: string, kind: 'sft' | 'dpo', compression: Compression): Promise<SplitResult> {
  const w = new ShardWriter({ dir, config: kind, split: 'train', kind, maxShardBytes: 500e6, compression, toolFormat: 'hermes-text' });
  for (const r of kind === 'sft' ? SFT : DPO) await w.add(r);
  return w.finish();
}

const byId = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)));
const pick = (row: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, row[k]]));

describe.each(['snappy', 'zstd'] as const)('round trip (%s)', (compression) => {
  const dir = mkdtempSync(join(tmpdir(), `chatmill-export-${compression}-`));
  const out: Record<string, SplitResult> = {};
  beforeAll(async () => {
    out.sft = await write(dir, 'sft', compression);
    out.dpo = await write(dir, 'dpo', compression);
  });

  test.each(['sft', 'dpo'] as const)('%s: DuckDB reads every field back exactly', async (kind) => {
    const records = kind === 'sft' ? SFT : DPO;
    expect(out[kind].files.map((f) => f.path)).toEqual([`data/${kind}/train-00000-of-00001.parquet`]);
    const rows = await duckRows(`SELECT * FROM read_parquet('${join(dir, out[kind].files[0].path)}')`);
    expect(rows).toHaveLength(records.length);
    const want = byId(records.map(expectedRow));
    const got = byId(rows).map((r) => withParsedTools(pick(r, Object.keys(want[0]))));
    expect(got).toEqual(want);
  });

  test('DuckDB sees the declared column types', async () => {
    const cols = await duckRows(`DESCRIBE SELECT * FROM read_parquet('${join(dir, out.sft.files[0].path)}')`);
    const types = Object.fromEntries(cols.map((c) => [c.column_name, c.column_type]));
    expect(types).toMatchObject({
      messages: 'STRUCT("role" VARCHAR, "content" VARCHAR)[]',
      id: 'VARCHAR',
      tools: 'VARCHAR',
      category: 'VARCHAR',
      n_tokens: 'BIGINT',
      n_instruction_tokens: 'BIGINT',
      n_response_tokens: 'BIGINT',
      index: 'BIGINT',
      format: 'VARCHAR',
      source: 'VARCHAR',
    });
    const dpo = await duckRows(`DESCRIBE SELECT * FROM read_parquet('${join(dir, out.dpo.files[0].path)}')`);
    const dt = Object.fromEntries(dpo.map((c) => [c.column_name, c.column_type]));
    expect(dt).toMatchObject({ chosen: 'STRUCT("role" VARCHAR, "content" VARCHAR)[]', margin: 'DOUBLE', n_chosen_tokens: 'BIGINT' });
  });

  test('the huggingface features are in the footer and in the stored Arrow schema', () => {
    const md = hyMetadata(join(dir, out.sft.files[0].path));
    const kv = Object.fromEntries((md.key_value_metadata ?? []).map((e) => [e.key, e.value]));
    const hf = JSON.parse(kv.huggingface as string);
    expect(hf.info.features.messages).toEqual({
      feature: { role: { dtype: 'string', _type: 'Value' }, content: { dtype: 'string', _type: 'Value' } },
      _type: 'List',
    });
    expect(hf.info.features.n_tokens).toEqual({ dtype: 'int64', _type: 'Value' });
    expect(Object.keys(hf.info.features)).toContain('tools');
    // ARROW:schema is a base64 IPC schema message; add an end-of-stream marker and read it with apache-arrow.
    const msg = Buffer.from(kv['ARROW:schema'] as string, 'base64');
    const schema = tableFromIPC(Buffer.concat([msg, Buffer.from([255, 255, 255, 255, 0, 0, 0, 0])])).schema;
    expect(JSON.parse(schema.metadata.get('huggingface') as string)).toEqual(hf);
    const messages = schema.fields.find((f) => f.name === 'messages');
    expect(String(messages?.type)).toBe('List<Struct<{role:Utf8, content:Utf8}>>');
    expect((messages?.type as { children: { name: string }[] }).children[0].name).toBe('item');
  });

  test('the page index (column and offset index) is written', () => {
    const md = hyMetadata(join(dir, out.sft.files[0].path));
    for (const c of md.row_groups[0].columns) {
      expect(c.offset_index_offset).toBeDefined();
      expect(c.column_index_offset).toBeDefined();
    }
    expect(md.row_groups[0].columns[0].meta_data?.codec).toBe(compression.toUpperCase());
  });
});

describe('hyparquet reads the snappy shards (it has no zstd decoder built in)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chatmill-export-hy-'));
  test.each(['sft', 'dpo'] as const)('%s: every field matches the input', async (kind) => {
    const res = await write(dir, kind, 'snappy');
    const records = kind === 'sft' ? SFT : DPO;
    const rows = await hyRows(join(dir, res.files[0].path));
    const want = byId(records.map(expectedRow));
    expect(byId(rows).map((r) => withParsedTools(pick(r, Object.keys(want[0]))))).toEqual(want);
  });
});

describe('round trip of SFT with structured tool calls (the default tool format)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chatmill-export-chat-'));
  let out: SplitResult;
  beforeAll(async () => {
    const w = new ShardWriter({ dir, config: 'sft', split: 'train', kind: 'sft', maxShardBytes: 500e6, compression: 'zstd' });
    for (const r of SFT) await w.add(r);
    out = await w.finish();
  });

  test('DuckDB reads every turn back as JSON with exactly the keys it has; arguments are JSON strings', async () => {
    const rows = await duckRows(`SELECT * FROM read_parquet('${join(dir, out.files[0].path)}')`);
    const want = byId(SFT.map((r) => expectedRow(r, { structured: true })));
    const got = byId(rows).map((r) => withParsedTools(withParsedChat(pick(r, Object.keys(want[0])))));
    expect(got).toEqual(want);
    // json.dumps spacing, as Hermes text writes arguments, so templates that print the string give the same text.
    const turns = (byId(rows).find((r) => r.id === 'conv-004')!.messages as string[]).map((t) => JSON.parse(t));
    expect(turns[1].tool_calls[0]).toEqual({ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris", "days": [1, 2], "metric": true}' } });
    expect(turns[0]).toEqual({ role: 'user', content: 'Weather in Paris and Zürich?' });
    expect(turns[2]).toEqual({ role: 'tool', content: '{"temp_c": 18}', name: 'get_weather', tool_call_id: 'call_1' });
  });

  test('Parquet marks the turns JSON; the footer Arrow schema has arrow.json items; features say List(Json())', async () => {
    const cols = await duckRows(`DESCRIBE SELECT * FROM read_parquet('${join(dir, out.files[0].path)}')`);
    expect(Object.fromEntries(cols.map((c) => [c.column_name, c.column_type])).messages).toBe('JSON[]');
    const md = hyMetadata(join(dir, out.files[0].path));
    const item = md.schema.find((e) => e.name === 'item')!;
    expect([item.converted_type, item.logical_type?.type]).toEqual(['JSON', 'JSON']);
    const kv = Object.fromEntries((md.key_value_metadata ?? []).map((e) => [e.key, e.value]));
    expect(JSON.parse(kv.huggingface as string).info.features.messages).toEqual({ feature: { _type: 'Json' }, _type: 'List' });
    const msg = Buffer.from(kv['ARROW:schema'] as string, 'base64');
    const schema = tableFromIPC(Buffer.concat([msg, Buffer.from([255, 255, 255, 255, 0, 0, 0, 0])])).schema;
    const messages = schema.fields.find((f) => f.name === 'messages')!;
    expect(String(messages.type)).toBe('List<Utf8>');
    const child = (messages.type as unknown as { children: { metadata: Map<string, string> }[] }).children[0];
    expect(child.metadata.get('ARROW:extension:name')).toBe('arrow.json');
  });
});
