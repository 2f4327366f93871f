/**
 * The bench's Python peer (bench/python-peer.py: datasets.map + apply_chat_template with assistant masks) must count
 * exactly what chatmill counts. On the 20k real-sentence corpus the totals differed by 6,861 tokens: the peer
 * tokenized all 20,000 records, chatmill the 19,974 left after dedup; every kept record's counts were equal. Here a
 * small corpus with a duplicate and a record chatmill rejects shows both sides of that, with the real transformers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { LLAMA3_TOKENIZER_JSON, PYTHON, readJsonl, runInterop } from './helpers.js';
// @ts-expect-error: a plain .mjs bench module, no types
import { pythonOnKeptRecords } from '../../bench/count-parity.mjs';

type Counts = { tokens: number; responseTokens: number };
const chat = (user: string, assistant: string, system?: string) => ({
  messages: [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content: user }, { role: 'assistant', content: assistant }],
});

describe.runIf(runInterop)('the bench compares token counts with the Python path on the same records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chatmill-bench-counts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const records = [
    { id: 'a', ...chat('What is 12 × 7?', 'It is 84. Multiply 12 by 7: 10 × 7 = 70, 2 × 7 = 14, and 70 + 14 = 84.') },
    { id: 'b', ...chat('用一句话介绍长城。', '长城是中国古代修建的防御工程，绵延数千公里。', 'You answer briefly.') },
    { id: 'a-again', ...chat('What is 12 × 7?', 'It is 84. Multiply 12 by 7: 10 × 7 = 70, 2 × 7 = 14, and 70 + 14 = 84.') },
    { id: 'empty', ...chat('Say nothing.', '') },
    { id: 'c', ...chat('Write a Python function that adds two numbers.', '```python\ndef add(a, b):\n    return a + b\n```\n\nCall it as `add(2, 3)`.') },
  ];
  const corpus = join(dir, 'corpus.jsonl');
  writeFileSync(corpus, records.map((r) => `${JSON.stringify(r)}\n`).join(''));

  it('finds every kept record equal, and on the raw file counts exactly the duplicate and the rejected record more', async () => {
    const out = join(dir, 'out');
    const child = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bench', 'pipeline-child.mjs'), corpus, out], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!);
    expect({ read: child.read, kept: child.kept, rejected: child.rejected, dropped: child.dropped }).toEqual({ read: 5, kept: 3, rejected: 1, dropped: 1 });

    const { peer, parity, input } = await pythonOnKeptRecords({ corpus, shards: child.shards, read: child.read, tokenizerJson: LLAMA3_TOKENIZER_JSON, numProc: 1, work: dir, python: PYTHON });
    expect(input).toBe('the 3 records chatmill kept');
    expect(parity.differingRecords).toBe(0);
    expect(parity.equal).toBe(true);
    expect(peer.tokens).toBe(child.tokens);
    expect(peer.responseTokens).toBe(child.responseTokens);

    // The peer on the whole file, as the bench ran it before: its total exceeds chatmill's by the two records
    // chatmill did not keep, and the duplicate counts the same as the record it repeats.
    const raw = join(dir, 'raw-per-record.jsonl');
    execFileSync(PYTHON, [join(ROOT, 'bench', 'python-peer.py'), corpus, LLAMA3_TOKENIZER_JSON, '1', raw], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const rows = readJsonl<Counts & { id: string }>(readFileSync(raw, 'utf8'));
    expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'a-again', 'empty', 'c']);
    expect(rows[2].tokens).toBe(rows[0].tokens);
    expect(rows.reduce((s, r) => s + r.tokens, 0) - child.tokens).toBe(rows[2].tokens + rows[3].tokens);
    // Two Python start-ups (datasets + transformers imports) and a pipeline run: 60 s on a quiet machine, over 120 s
    // on the shared 2-core one while the full suite runs.
  }, 600_000);
});
