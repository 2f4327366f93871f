import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs } from '../../src/read/expand.js';
import { tmp } from './helpers.js';

describe('input expansion', () => {
  it('a directory gives its data files recursively and sorted; a glob gives its matches; - stays stdin', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'sub'));
    for (const f of ['b.jsonl', 'a.json', 'README.md', 'sub/c.jsonl.gz', 'sub/d.parquet', 'LICENSE']) writeFileSync(join(dir, f), '');
    expect(await expandInputs([dir])).toEqual(['a.json', 'b.jsonl', 'sub/c.jsonl.gz', 'sub/d.parquet'].map((f) => join(dir, f)));
    expect(await expandInputs([join(dir, '**/*.jsonl*'), '-'])).toEqual([join(dir, 'b.jsonl'), join(dir, 'sub/c.jsonl.gz'), '-']);
  });

  it('a glob that matches nothing and an empty data directory are usage errors', async () => {
    const dir = tmp();
    await expect(expandInputs([join(dir, '*.jsonl')])).rejects.toThrow(/no files match/);
    await expect(expandInputs([dir])).rejects.toThrow(/no .json\/.jsonl\/.parquet\/.gz files/);
  });
});
