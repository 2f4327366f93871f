import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runIngest } from '../../src/ingest.js';
import { readAll, tmp, writeTmp } from './helpers.js';

const record = (i: number) => JSON.stringify({ messages: [{ role: 'user', content: `q${i}` }, { role: 'assistant', content: `a${i}` }] });

async function books(path: string) {
  const tally = await runIngest({ inputs: [path], sinks: { reject: () => undefined, drop: () => undefined } });
  const { read, kept, rejected, dropped } = tally.summary().files[0];
  return { read, kept, rejected, dropped };
}

describe('the container comes from the name, then the content (issue 10, item 2)', () => {
  const strayHeader = '["stray","header"]\n' + Array.from({ length: 103 }, (_, i) => record(i)).join('\n') + '\n';

  it('a .jsonl whose first line is an array is lines: read 104, 103 kept, the array line one reject', async () => {
    expect(await books(writeTmp('stray.jsonl', strayHeader))).toEqual({ read: 104, kept: 103, rejected: 1, dropped: 0 });
  });

  it('the same holds for .ndjson and for gzipped .jsonl', async () => {
    expect(await books(writeTmp('stray.ndjson', strayHeader))).toEqual({ read: 104, kept: 103, rejected: 1, dropped: 0 });
    expect(await books(writeTmp('stray.jsonl.gz', gzipSync(strayHeader)))).toEqual({ read: 104, kept: 103, rejected: 1, dropped: 0 });
  });

  it('1,000 lines alternating [] and {} are 1,000 records, in .jsonl and in .json (one value per line is JSONL)', async () => {
    const text = Array.from({ length: 1000 }, (_, i) => (i % 2 ? '{}' : '[]')).join('\n') + '\n';
    for (const name of ['alt.jsonl', 'alt.json']) {
      const out = await readAll(writeTmp(name, text));
      expect(out.length).toBe(1000);
      expect(out.map((o) => o.ref.line)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    }
  });

  it('a .json of one object per line (the function-calling benchmark style) is JSONL; a .json with a stray array line too', async () => {
    expect(await books(writeTmp('bfcl.json', `${record(1)}\n${record(2)}\n${record(3)}\n`))).toEqual({ read: 3, kept: 3, rejected: 0, dropped: 0 });
    expect(await books(writeTmp('stray.json', strayHeader))).toEqual({ read: 104, kept: 103, rejected: 1, dropped: 0 });
  });

  it('a .json array, pretty-printed or on one line, still streams element by element', async () => {
    const list = Array.from({ length: 20 }, (_, i) => JSON.parse(record(i)));
    expect(await books(writeTmp('pretty.json', JSON.stringify(list, null, 2)))).toEqual({ read: 20, kept: 20, rejected: 0, dropped: 0 });
    expect(await books(writeTmp('flat.json', JSON.stringify(list) + '\n'))).toEqual({ read: 20, kept: 20, rejected: 0, dropped: 0 });
  });

  it('a first array longer than the sniff window, then lines: the array streams, the lines after it are still records', async () => {
    const big = Array.from({ length: 300 }, (_, i) => ({ ...JSON.parse(record(i)), pad: 'p'.repeat(4000) }));
    const text = JSON.stringify(big) + '\n' + record(1) + '\n' + record(2) + '\n';
    expect(text.indexOf('\n')).toBeGreaterThan(1 << 20);
    expect(await books(writeTmp('long-first.json', text))).toEqual({ read: 302, kept: 302, rejected: 0, dropped: 0 });
  });
});
