import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShardWriter } from '../../src/export/shard-writer.js';
import { tmp } from '../read/helpers.js';
import { duckRows, hyMetadata } from './helpers.js';
import { manySft } from './records.js';

describe('row groups', () => {
  it('a shard is cut into row groups at the byte target (not one group per file)', async () => {
    const dir = tmp();
    const records = manySft(600);
    const w = new ShardWriter({ dir, config: 'sft', split: 'train', kind: 'sft', maxShardBytes: 500e6, maxRowGroupBytes: 20_000, compression: 'zstd' });
    for (const r of records) await w.add(r);
    const result = await w.finish();
    expect(result.files).toHaveLength(1);
    const path = join(dir, result.files[0].path);
    const groups = hyMetadata(path).row_groups.map((g) => Number(g.num_rows));
    // Each group but the last stops just short of 20,000 Arrow bytes. These rows are small next to the target,
    // so the room left at the cuts adds up to less than one more group.
    const atLeast = Math.ceil(result.files[0].bytes / 20_000);
    expect(groups.length).toBeGreaterThanOrEqual(atLeast);
    expect(groups.length).toBeLessThanOrEqual(atLeast + 1);
    expect(groups.reduce((a, b) => a + b, 0)).toBe(600);
    // DuckDB agrees on the row groups and the rows.
    const meta = await duckRows(`SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('${path}')`);
    expect(Number(meta[0].n)).toBe(groups.length);
    expect(readdirSync(join(dir, 'data/sft')).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('a split with no rows still gets one shard holding the schema and zero rows', async () => {
    const dir = tmp();
    const w = new ShardWriter({ dir, config: 'kto', split: 'train', kind: 'kto', maxShardBytes: 500e6, compression: 'zstd' });
    const result = await w.finish();
    expect(result.files.map((f) => [f.path, f.rows, f.bytes])).toEqual([['data/kto/train-00000-of-00001.parquet', 0, 0]]);
    const path = join(dir, result.files[0].path);
    expect(await duckRows(`SELECT count(*) AS n FROM read_parquet('${path}')`)).toEqual([{ n: 0n }]);
    const cols = await duckRows(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
    expect(Object.fromEntries(cols.map((c) => [c.column_name, c.column_type]))).toMatchObject({
      prompt: 'STRUCT("role" VARCHAR, "content" VARCHAR)[]',
      completion: 'STRUCT("role" VARCHAR, "content" VARCHAR)[]',
      label: 'BOOLEAN',
      n_prompt_tokens: 'BIGINT',
      id: 'VARCHAR',
    });
  });
});
