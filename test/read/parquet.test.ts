import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { runIngest } from '../../src/ingest.js';
import type { Conversation } from '../../schemas/chatml.js';
import { tmp } from './helpers.js';

/** A Hub-style Parquet file written by DuckDB (an independent writer), in snappy and zstd. */
async function duckParquet(path: string, codec: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`COPY (
      SELECT * FROM (VALUES
        (1::BIGINT, [{'from': 'human', 'value': 'Hi 你好'}, {'from': 'gpt', 'value': 'Hello 👋'}]),
        (2::BIGINT, [{'from': 'human', 'value': 'Only a question'}]),
        (3::BIGINT, [{'from': 'system', 'value': 'Be brief.'}, {'from': 'human', 'value': '2+2?'}, {'from': 'gpt', 'value': '4'}])
      ) AS t(id, conversations)
    ) TO '${path}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 2)`);
  } finally {
    conn.closeSync();
  }
}

describe('Parquet inputs', () => {
  it.each(['snappy', 'zstd'])('reads nested ShareGPT rows from a %s file, row group by row group', async (codec) => {
    const path = join(tmp(), `train-${codec}.parquet`);
    await duckParquet(path, codec);
    const kept: Conversation[] = [];
    const rejects: string[] = [];
    const tally = await runIngest({
      inputs: [path],
      onOutput: (item) => void kept.push(item.value as Conversation),
      sinks: { reject: (r) => void rejects.push(`${r.ref.index}:${r.reason}`), drop: () => undefined },
    });
    expect(tally.summary().files[0]).toMatchObject({ path, format: 'sharegpt', read: 3, kept: 2, rejected: 1, dropped: 0 });
    expect(rejects).toEqual(['1:no_assistant_turn']);
    expect(kept.map((c) => [c.id, c.index, c.messages])).toEqual([
      ['1', 0, [{ role: 'user', content: 'Hi 你好' }, { role: 'assistant', content: 'Hello 👋' }]],
      ['3', 2, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: '2+2?' }, { role: 'assistant', content: '4' }]],
    ]);
  });
});
