import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { runIngest } from '../../src/ingest.js';
import { readInputs } from '../../src/read/index.js';
import { DEFAULT_LIMITS } from '../../src/read/limits.js';
import type { Outcome } from '../../src/types.js';
import { readAll, tmp, writeTmp } from './helpers.js';
import { convo, duck } from './duck.js';

const reasons = (out: Outcome<unknown>[]) => out.map((o) => (o.kind === 'reject' ? `${o.ref.index}:${o.reason}` : `${o.ref.index}:keep`));

/** Rows 0..n-1 with a JSON `meta` cell; `meta` of row `bad` is `bad` instead (written as valid JSON first, patched after). */
async function jsonCellFile(dir: string, n: number, bad?: number): Promise<string> {
  const path = join(dir, 'cells.parquet');
  await duck(`COPY (SELECT i AS id, ${convo('')} AS conversations,
      (CASE WHEN i = ${bad ?? -1} THEN '{"marker":"QQQQ"}' ELSE '{"k":' || i || '}' END)::JSON AS meta
    FROM range(${n}) t(i)) TO '${path}' (FORMAT parquet, COMPRESSION uncompressed)`);
  if (bad !== undefined) {
    // Same length, no longer JSON: the page still decodes, the cell does not parse.
    const bytes = readFileSync(path);
    const at = bytes.indexOf('{"marker":"QQQQ"}');
    expect(at).toBeGreaterThan(0);
    bytes.write('{"marker":QQQQQQ}', at, 'latin1');
    writeFileSync(path, bytes);
  }
  return path;
}

describe('Parquet: a bad row rejects that row, a bad page or footer rejects the rest of the file (issue 10, item 3)', () => {
  it('a JSON cell holding invalid JSON rejects its row as not_json, naming the file, row and column; the other rows are kept', async () => {
    const path = await jsonCellFile(tmp(), 5, 2);
    const out = await readAll(path);
    expect(reasons(out)).toEqual(['0:keep', '1:keep', '2:not_json', '3:keep', '4:keep']);
    const r = out[2];
    expect(r.kind === 'reject' && r.message).toMatch(/cells\.parquet: row 2: JSON column meta is not valid JSON/);
    // The rejects file shows the row, with the bad cell as its text.
    expect(r.kind === 'reject' && JSON.parse(r.raw)).toMatchObject({ id: 2, meta: '{"marker":QQQQQQ}' });
  });

  it('a 20,000-deep JSON cell rejects its row as nesting_too_deep (no stack overflow); a row over --max-record-bytes is record_too_large', async () => {
    const dir = tmp();
    const path = join(dir, 'deep.parquet');
    const deep = '['.repeat(20000) + ']'.repeat(20000);
    await duck(`COPY (SELECT i AS id, ${convo('')} AS conversations,
        (CASE WHEN i = 1 THEN '${deep}' WHEN i = 3 THEN '["' || repeat('x', 60000) || '"]' ELSE '{}' END)::JSON AS meta
      FROM range(4) t(i)) TO '${path}' (FORMAT parquet)`);
    const out = await readAll(path, { maxRecordBytes: 50000 }); // the deep cell is 40,000 bytes
    expect(reasons(out)).toEqual(['0:keep', '1:nesting_too_deep', '2:keep', '3:record_too_large']);
  });

  it('Infinity and NaN in a float column reject the row as invalid_number instead of turning into null', async () => {
    const path = join(tmp(), 'floats.parquet');
    await duck(`COPY (SELECT * FROM (VALUES (0, 1.5::DOUBLE), (1, 'inf'::DOUBLE), (2, 'nan'::DOUBLE), (3, '-inf'::DOUBLE)) t(id, score))
      TO '${path}' (FORMAT parquet)`);
    const out = await readAll(path);
    expect(reasons(out)).toEqual(['0:keep', '1:invalid_number', '2:invalid_number', '3:invalid_number']);
    expect(out[1].kind === 'reject' && out[1].message).toMatch(/row 1: column score is Infinity/);
    expect(out.slice(1).map((o) => o.kind === 'reject' && JSON.parse(o.raw).score)).toEqual(['Infinity', 'NaN', '-Infinity']);
  });

  it('a text column holding bytes that are not UTF-8 rejects the row as invalid_utf8; a BLOB column is read as before', async () => {
    const dir = tmp();
    const path = join(dir, 'text.parquet');
    await duck(`COPY (SELECT i AS id, (CASE WHEN i = 1 THEN 'QQQQ-marker' ELSE 'fine ' || i END) AS note, '\\xFF\\xFEab'::BLOB AS blob
      FROM range(3) t(i)) TO '${path}' (FORMAT parquet, COMPRESSION uncompressed)`);
    const bytes = readFileSync(path);
    const at = bytes.indexOf('QQQQ-marker');
    expect(at).toBeGreaterThan(0);
    bytes[at] = 0xff;
    writeFileSync(path, bytes);
    const out = await readAll(path);
    expect(reasons(out)).toEqual(['0:keep', '1:invalid_utf8', '2:keep']);
    expect(out[0].kind === 'keep' && JSON.parse(out[0].raw).blob).toBe('\uFFFD\uFFFDab');
  });

  it('a corrupted page rejects the rest of the file as one corrupt_file (row group and first row named); the next input is still read', async () => {
    const dir = tmp();
    const path = join(dir, 'pages.parquet');
    await duck(`COPY (SELECT i AS id, 'text number ' || i AS note FROM range(3 * 2048) t(i))
      TO '${path}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 2048)`);
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(path));
    expect(meta.row_groups.length).toBe(3);
    // Garble the first data page of row group 1's `note` column.
    const chunk = meta.row_groups[1].columns[1].meta_data!;
    const start = Number(chunk.dictionary_page_offset ?? chunk.data_page_offset);
    const bytes = readFileSync(path);
    for (let i = start + 8; i < start + Number(chunk.total_compressed_size) - 4; i++) bytes[i] = 0xff;
    writeFileSync(path, bytes);
    const next = writeTmp('next.jsonl', '{"a":1}\n', dir);
    const out: Outcome<unknown>[] = [];
    for await (const o of readInputs([path, next], { limits: DEFAULT_LIMITS })) out.push(o);
    expect(out.length).toBe(2048 + 1 + 1);
    expect(out.slice(0, 2048).every((o) => o.kind === 'keep')).toBe(true);
    const r = out[2048];
    expect(r.kind === 'reject' && [r.reason, r.ref.index]).toEqual(['corrupt_file', 2048]);
    expect(r.kind === 'reject' && r.message).toMatch(/pages\.parquet: row group 1 cannot be decoded .*rows 2048 to the end/);
    expect(out[2049]).toMatchObject({ kind: 'keep', ref: { source: next } });
  });

  it('a broken footer is one corrupt_file reject naming the file, not an exception', async () => {
    const dir = tmp();
    const path = join(dir, 'footer.parquet');
    await duck(`COPY (SELECT 1 AS id) TO '${path}' (FORMAT parquet)`);
    const bytes = readFileSync(path);
    bytes.writeUInt32LE(bytes.length * 2, bytes.length - 8); // the footer length, before the closing PAR1
    writeFileSync(path, bytes);
    const out = await readAll(path);
    expect(reasons(out)).toEqual(['0:corrupt_file']);
    expect(out[0].kind === 'reject' && out[0].message).toMatch(/footer\.parquet is not a readable Parquet file/);
  });
});

describe('Parquet: a column named __proto__ is kept like the same key in JSONL (issue 10, item 11)', () => {
  it('lands in meta as an own key, the same as from JSONL, and pollutes no prototype', async () => {
    const dir = tmp();
    const pq = join(dir, 'proto.parquet');
    await duck(`COPY (SELECT 7 AS id, ${convo(1)} AS conversations, {'polluted': 'yes'} AS "__proto__") TO '${pq}' (FORMAT parquet)`);
    const jl = writeTmp(
      'proto.jsonl',
      `${JSON.stringify({ id: 7, conversations: [{ from: 'human', value: 'q1' }, { from: 'gpt', value: 'a1' }] }).slice(0, -1)},"__proto__":{"polluted":"yes"}}\n`,
      dir,
    );
    const metaOf = async (input: string) => {
      const kept: Record<string, unknown>[] = [];
      await runIngest({ inputs: [input], onOutput: (item) => void kept.push(item.value as Record<string, unknown>), sinks: { reject: () => undefined, drop: () => undefined } });
      expect(kept.length).toBe(1);
      return kept[0].meta as Record<string, unknown>;
    };
    const fromJsonl = await metaOf(jl);
    const fromParquet = await metaOf(pq);
    expect(Object.hasOwn(fromJsonl, '__proto__')).toBe(true);
    expect(Object.hasOwn(fromParquet, '__proto__')).toBe(true);
    expect(JSON.stringify(fromParquet)).toBe(JSON.stringify(fromJsonl));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('Parquet: a struct field or map key named __proto__, nested in a column, is kept (was dropped by row assembly)', () => {
  it('gives the same record as the JSONL spelling, keeps key order, and pollutes no prototype', async () => {
    const dir = tmp();
    const pq = join(dir, 'nested-proto.parquet');
    // DuckDB writes the file: a struct with a `__proto__` field between two others, a MAP whose keys include
    // `__proto__` (with a string value, which a plain assignment would silently ignore), the string
    // `__proto__` as a value, and a string that starts with the reader's escape prefix (it must come back as is).
    await duck(`COPY (SELECT 3 AS id, ${convo(1)} AS conversations,
        {'a': 1, '__proto__': {'polluted': 'yes'}, 'z': 2} AS nested,
        MAP {'x': 'one', '__proto__': 'two', 'y': 'three'} AS labels,
        ['__proto__', chr(0) || 'chatmill-escaped:kept'] AS words) TO '${pq}' (FORMAT parquet)`);
    const expected = {
      id: 3,
      conversations: [{ from: 'human', value: 'q1' }, { from: 'gpt', value: 'a1' }],
      nested: JSON.parse('{"a":1,"__proto__":{"polluted":"yes"},"z":2}'),
      labels: JSON.parse('{"x":"one","__proto__":"two","y":"three"}'),
      words: ['__proto__', '\u0000chatmill-escaped:kept'],
    };
    const rows = (await readAll(pq)).map((o) => (o.kind === 'keep' ? o.raw : `${o.kind}`));
    expect(rows).toEqual([JSON.stringify(expected)]);
    expect(Object.getOwnPropertyDescriptor(JSON.parse(rows[0]).nested, '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
