import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { readColumnIndex, readOffsetIndex } from 'hyparquet';
import * as pw from 'parquet-wasm';
import { describe, expect, test } from 'vitest';
import type { Conversation } from '../../schemas/chatml.js';
import { ShardWriter } from '../../src/export/shard-writer.js';
import { tmp } from '../read/helpers.js';
import { duckRows, expectedRow, hyMetadata, withParsedTools } from './helpers.js';

/** Long replies (CJK, emoji, a shared opening longer than the 64-byte bound), so `content` spans several pages. */
function longRecords(n: number): Conversation[] {
  const opening = 'Certainly! Here is a detailed, step-by-step answer to your question about the topic. ';
  return Array.from({ length: n }, (_, i) => ({
    id: `long-${i}`,
    source: 'long.jsonl',
    index: i,
    format: 'openai',
    category: i % 4 === 0 ? undefined : `c${i % 4}`,
    messages: [
      { role: 'user' as const, content: `${String.fromCharCode(65 + (i % 26))} question ${i} 东京 ${'?'.repeat(i % 5)}` },
      { role: 'assistant' as const, content: opening + `段落${i} 🚀 `.repeat(800 + ((i * 37) % 900)) },
    ],
    n_tokens: i % 6 === 0 ? undefined : 1000 + i,
  }));
}

const records = longRecords(160);
const byId = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)));

interface Page {
  firstRow: number;
  /** Raw bytes for a string column, a bigint for INT64. */
  min: Uint8Array | bigint;
  max: Uint8Array | bigint;
  nullPage: boolean;
  nullCount: bigint;
}

/** The page index of one column chunk, read with hyparquet's index readers (raw bytes for string bounds). */
function pageIndex(file: Buffer, column: string[]): { pages: Page[]; contiguous: boolean } {
  const md = hyMetadata(path);
  const chunk = md.row_groups[0].columns.find((c) => c.meta_data?.path_in_schema.join('.') === column.join('.'));
  if (!chunk?.meta_data || chunk.offset_index_offset === undefined || chunk.column_index_offset === undefined) throw new Error(`no page index for ${column}`);
  const view = (offset: bigint, length: number) => ({ view: new DataView(file.buffer, file.byteOffset + Number(offset), length), offset: 0 });
  const element = md.schema.find((e) => e.name === column.at(-1))!;
  const offsets = readOffsetIndex(view(chunk.offset_index_offset, chunk.offset_index_length!)).page_locations;
  const ci = readColumnIndex(view(chunk.column_index_offset, chunk.column_index_length!), element, { stringFromBytes: (b: Uint8Array) => b as never });
  // Pages must tile the chunk: the first at data_page_offset, each starting where the one before it ended.
  let contiguous = Number(offsets[0].offset) === Number(chunk.meta_data.data_page_offset);
  for (let p = 1; p < offsets.length; p++) contiguous &&= Number(offsets[p].offset) === Number(offsets[p - 1].offset) + offsets[p - 1].compressed_page_size;
  const last = offsets.at(-1)!;
  contiguous &&= Number(last.offset) + last.compressed_page_size === Number(chunk.meta_data.data_page_offset) + Number(chunk.meta_data.total_compressed_size);
  const pages = offsets.map((o, p) => ({
    firstRow: Number(o.first_row_index),
    min: ci.min_values[p] as Uint8Array | bigint,
    max: ci.max_values[p] as Uint8Array | bigint,
    nullPage: ci.null_pages[p],
    nullCount: ci.null_counts![p],
  }));
  return { pages, contiguous };
}

let path = '';

describe.each(['zstd', 'snappy'] as const)('Parquet writer, %s: several pages per chunk', (compression) => {
  test('DuckDB reads every field back exactly', async () => {
    const dir = tmp();
    // role/content messages (tool format hermes-text): the list-of-structs layout under test here.
    const w = new ShardWriter({ dir, config: 'sft', split: 'train', kind: 'sft', maxShardBytes: 500e6, compression, toolFormat: 'hermes-text' });
    for (const r of records) await w.add(r);
    path = join(dir, (await w.finish()).files[0].path);
    const rows = await duckRows(`SELECT * FROM read_parquet('${path}')`);
    const want = byId(records.map(expectedRow));
    expect(byId(rows).map((r) => withParsedTools(Object.fromEntries(Object.keys(want[0]).map((k) => [k, r[k]]))))).toEqual(want);
  });

  test('arrow-rs (parquet-wasm) reads the same rows, with the Arrow schema from the footer', () => {
    const table = tableFromIPC(pw.readParquet(readFileSync(path)).intoIPCStream());
    expect(table.numRows).toBe(records.length);
    expect(String(table.schema.fields.find((f) => f.name === 'messages')?.type)).toBe('List<Struct<{role:Utf8, content:Utf8}>>');
    const got = table.toArray().map((r) => r.toJSON());
    records.forEach((r, i) => {
      expect(got[i].id).toBe(r.id);
      expect(got[i].category).toBe(r.category ?? null);
      expect(got[i].n_tokens).toBe(r.n_tokens === undefined ? null : BigInt(r.n_tokens));
      expect(got[i].messages.toArray().map((m: { toJSON(): unknown }) => m.toJSON())).toEqual(r.messages);
    });
  });

  test('the page index bounds every page of a long text column', () => {
    const file = readFileSync(path);
    const { pages, contiguous } = pageIndex(file, ['messages', 'list', 'item', 'content']);
    expect(pages.length).toBeGreaterThan(2);
    expect(contiguous).toBe(true);
    expect(pages[0].firstRow).toBe(0);
    for (let p = 0; p < pages.length; p++) {
      const end = p + 1 < pages.length ? pages[p + 1].firstRow : records.length;
      expect(end).toBeGreaterThan(pages[p].firstRow);
      expect(pages[p].nullPage).toBe(false);
      expect(pages[p].nullCount).toBe(0n);
      const [min, max] = [Buffer.from(pages[p].min as Uint8Array), Buffer.from(pages[p].max as Uint8Array)];
      expect(min.length).toBeLessThanOrEqual(64);
      expect(max.length).toBeLessThanOrEqual(64);
      for (const r of records.slice(pages[p].firstRow, end)) {
        for (const m of r.messages) {
          const v = Buffer.from(m.content, 'utf8');
          expect(Buffer.compare(min, v)).toBeLessThanOrEqual(0);
          expect(Buffer.compare(max, v)).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });

  test('the page index of a flat column with nulls counts them', () => {
    const { pages } = pageIndex(readFileSync(path), ['n_tokens']);
    const nulls = records.filter((r) => r.n_tokens === undefined).length;
    expect(pages.reduce((s, p) => s + p.nullCount, 0n)).toBe(BigInt(nulls));
    const values = records.flatMap((r) => (r.n_tokens === undefined ? [] : [BigInt(r.n_tokens)]));
    // One page holds every row of this small column; its bounds are the exact min and max.
    expect(pages).toHaveLength(1);
    expect(pages[0].min).toBe(values.reduce((a, b) => (b < a ? b : a)));
    expect(pages[0].max).toBe(values.reduce((a, b) => (b > a ? b : a)));
  });
});

describe('Parquet writer: booleans, empty lists and nulls (KTO rows)', () => {
  test('DuckDB reads labels, an empty prompt and absent counts back as written', async () => {
    const dir = tmp();
    const rows = Array.from({ length: 21 }, (_, i) => ({
      id: `k${i}`, source: 'k.jsonl', index: i, format: 'kto',
      prompt: i % 5 === 0 ? [] : [{ role: 'user' as const, content: `q${i}` }],
      completion: [{ role: 'assistant' as const, content: i % 7 === 0 ? '' : `a${i}` }],
      label: i % 3 !== 0,
      n_prompt_tokens: i % 4 === 0 ? undefined : i,
    }));
    const w = new ShardWriter({ dir, config: 'kto', split: 'train', kind: 'kto', maxShardBytes: 500e6, compression: 'zstd' });
    for (const r of rows) await w.add(r as never);
    const got = await duckRows(`SELECT id, label, prompt, completion, n_prompt_tokens FROM read_parquet('${join(dir, (await w.finish()).files[0].path)}') ORDER BY index`);
    expect(got).toEqual(rows.map((r) => ({
      id: r.id, label: r.label, prompt: r.prompt, completion: r.completion,
      n_prompt_tokens: r.n_prompt_tokens === undefined ? null : BigInt(r.n_prompt_tokens),
    })));
  });
});
