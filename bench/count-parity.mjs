// Token-count parity between chatmill and the Python user's path, record by record.
//
// chatmill's pipeline drops exact duplicates (dedup) and rejects bad records before it tokenizes; a Python user
// who runs `datasets.map` over the raw file tokenizes all of them. On the 20k real-sentence corpus that was the
// whole 6,861-token gap: 26 records dropped as duplicates, every other record counted the same. So the Python peer
// is given exactly the records chatmill kept, and the counts are compared per record, not only in total.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

/** Every exported SFT row's place in its input and its counts, in input order. */
export async function exportedCounts(shards) {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const reader = await conn.runAndReadAll(`SELECT "index", id, n_tokens, n_response_tokens FROM read_parquet([${shards.map(sqlString).join(',')}]) ORDER BY "index"`);
  const rows = reader.getRowObjectsJS().map((r) => ({ index: Number(r.index), id: r.id, tokens: Number(r.n_tokens), responseTokens: Number(r.n_response_tokens) }));
  conn.closeSync();
  return rows;
}

/**
 * Copies the lines of a JSONL corpus whose record index is in `keep` (bench corpora hold one record per line and no
 * blank lines, so a record's index is its line number from 0).
 */
export async function writeKeptRecords(corpus, keep, outPath) {
  const wanted = new Set(keep);
  const out = createWriteStream(outPath);
  let index = 0;
  let written = 0;
  for await (const line of createInterface({ input: createReadStream(corpus), crlfDelay: Infinity })) {
    if (wanted.has(index++)) {
      written++;
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
  if (written !== wanted.size) throw new Error(`${corpus}: found ${written} of the ${wanted.size} kept records`);
  return written;
}

/**
 * Compares chatmill's per-record counts with the peer's, which come in the same order (the peer read the kept
 * records in input order). Returns the totals and the first differing records (at most `show`).
 */
export function compareCounts(ours, theirs, show = 5) {
  const differing = [];
  let count = 0;
  const n = Math.max(ours.length, theirs.length);
  for (let i = 0; i < n; i++) {
    const a = ours[i];
    const b = theirs[i];
    if (!a || !b || a.tokens !== b.tokens || a.responseTokens !== b.responseTokens || (b.id != null && a.id !== b.id)) {
      if (count++ < show) differing.push({ position: i, chatmill: a ?? null, peer: b ?? null });
    }
  }
  const sum = (rows, k) => rows.reduce((s, r) => s + r[k], 0);
  return {
    equal: count === 0,
    records: { chatmill: ours.length, peer: theirs.length },
    tokens: { chatmill: sum(ours, 'tokens'), peer: sum(theirs, 'tokens') },
    responseTokens: { chatmill: sum(ours, 'responseTokens'), peer: sum(theirs, 'responseTokens') },
    differingRecords: count,
    firstDiffering: differing,
  };
}

/**
 * The Python user's path (bench/python-peer.py) on the records chatmill kept from `corpus` (its exported `shards`,
 * `read` records read), with every record's counts compared. `python` defaults to the interop virtualenv.
 */
export async function pythonOnKeptRecords({ corpus, shards, read, tokenizerJson, numProc, work, python = '.venv-interop/bin/python' }) {
  const chatmillRows = await exportedCounts(shards);
  let input = corpus;
  if (chatmillRows.length !== read) {
    input = join(work, corpus.replace(/^.*\//, '').replace(/\.jsonl$/, '.kept.jsonl'));
    await writeKeptRecords(corpus, chatmillRows.map((row) => row.index), input);
  }
  const perRecord = join(work, 'python-per-record.jsonl');
  const r = spawnSync(python, [new URL('./python-peer.py', import.meta.url).pathname, input, tokenizerJson, String(numProc), perRecord], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`python peer failed: ${r.stderr.slice(-2000)}`);
  const peer = JSON.parse(r.stdout.trim().split('\n').pop());
  const peerRows = readFileSync(perRecord, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l));
  return { peer, parity: compareCounts(chatmillRows, peerRows), input: input === corpus ? 'corpus' : `the ${chatmillRows.length} records chatmill kept` };
}
