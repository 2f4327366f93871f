// The benchmark's peers, on the same data as chatmill's run: Hugging Face's Rust tokenizer (npm `tokenizers`,
// encodeBatch, all cores) over the same rendered texts, and DuckDB writing the same rows to Parquet with zstd.
import { statSync } from 'node:fs';
import rust from 'tokenizers';
import { DuckDBInstance } from '@duckdb/node-api';
import { resolveTokenizerFiles } from '../dist/src/tokens/source.js';
import { renderChatML } from '../dist/src/chatml/render.js';

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

/** The texts chatmill tokenized: BOS + Hermes ChatML of every exported row (messages and tools read back from the Parquet). */
export async function renderedTexts(shards) {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const reader = await conn.runAndReadAll(`SELECT messages, tools FROM read_parquet([${shards.map(sqlString).join(',')}])`);
  // SFT turns are stored as JSON objects (datasets' List(Json()), TRL's tool-calling shape; docs/export.md), so each
  // turn is parsed back before rendering; a role/content struct (--tool-format hermes-text) is used as it is.
  // The export writes a call's `arguments` as a JSON string (the OpenAI/TRL convention); the record holds an object.
  const call = (c) => ({ ...c, function: { ...c.function, arguments: typeof c.function?.arguments === 'string' ? JSON.parse(c.function.arguments) : c.function?.arguments } });
  const turn = (t) => (t.tool_calls ? { ...t, tool_calls: t.tool_calls.map(call) } : t);
  const turns = (messages) => messages.map((m) => turn(typeof m === 'string' ? JSON.parse(m) : m));
  const texts = reader.getRowObjectsJS().map((r) => `<|begin_of_text|>${renderChatML(turns(r.messages), r.tools ? JSON.parse(r.tools) : undefined)}`);
  conn.closeSync();
  return texts;
}

export async function rustEncodeBatch(texts, batch = 10_000) {
  const files = await resolveTokenizerFiles({ spec: 'hermes3' });
  const tk = rust.Tokenizer.fromString(JSON.stringify(files.json));
  const t0 = performance.now();
  // The Rust threads run inside this process, so its CPU time counts them (machine load does not inflate it much).
  const cpu0 = process.cpuUsage();
  let tokens = 0;
  for (let i = 0; i < texts.length; i += batch) {
    for (const e of await tk.encodeBatch(texts.slice(i, i + batch), { addSpecialTokens: false })) tokens += e.getLength();
  }
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, tokens, texts: texts.length };
}

/** DuckDB reads chatmill's rows back and writes them to one zstd Parquet file (its defaults otherwise). */
export async function duckdbParquet(shards, outPath) {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const t0 = performance.now();
  await conn.run(`COPY (SELECT * FROM read_parquet([${shards.map(sqlString).join(',')}])) TO ${sqlString(outPath)} (FORMAT parquet, COMPRESSION zstd)`);
  const ms = performance.now() - t0;
  const rows = Number((await conn.runAndReadAll(`SELECT count(*) AS n FROM read_parquet(${sqlString(outPath)})`)).getRowObjectsJS()[0].n);
  conn.closeSync();
  return { ms, rows, bytes: statSync(outPath).size };
}
