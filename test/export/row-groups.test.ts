import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShardWriter } from '../../src/export/shard-writer.js';
import { tmp } from '../read/helpers.js';
import { duckRows, hyMetadata } from './helpers.js';
import { manySft } from './records.js';

describe('row groups', () => {
  it('a shard is cut into several row groups of equal row count (not one group per file)', async () => {
    const dir = tmp();
    const records = manySft(600);
    const w = new ShardWriter({ dir, config: 'sft', split: 'train', kind: 'sft', maxShardBytes: 500e6, maxRowGroupBytes: 20_000, compression: 'zstd' });
    for (const r of records) await w.add(r);
    const result = await w.finish();
    expect(result.files).toHaveLength(1);
    const path = join(dir, result.files[0].path);
    const groups = hyMetadata(path).row_groups.map((g) => Number(g.num_rows));
    expect(groups.length).toBeGreaterThan(5);
    const [first, ...rest] = groups;
    for (const n of rest.slice(0, -1)) expect(n).toBe(first);
    expect(groups.reduce((a, b) => a + b, 0)).toBe(600);
    // DuckDB agrees on the row groups and the rows.
    const meta = await duckRows(`SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('${path}')`);
    expect(Number(meta[0].n)).toBe(groups.length);
    expect(readdirSync(join(dir, 'data/sft')).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });
});
