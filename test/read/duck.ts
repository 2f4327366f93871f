import { DuckDBInstance } from '@duckdb/node-api';

/** Run one DuckDB statement (an independent Parquet writer for the reader's tests). */
export async function duck(sql: string): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(sql);
  } finally {
    conn.closeSync();
  }
}

/** Messages of a valid ShareGPT row, as a DuckDB list literal. */
export const convo = (i: number | string) => `[{'from': 'human', 'value': 'q${i}'}, {'from': 'gpt', 'value': 'a${i}'}]`;
