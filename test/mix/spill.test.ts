/**
 * The mix spill gives back exactly what was written, in order: multi-byte text, a raw text with quotes,
 * backslashes and newlines, frames larger than one read chunk (4 MiB), and a cut file is an error.
 */
import { mkdtemp, readFile, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpill, SpillWriter } from '../../src/mix/spill.js';
import type { Keep } from '../../src/types.js';

const item = (i: number, raw: string): Keep<{ id: string; text: string }> => ({
  kind: 'keep',
  ref: { source: `dir/f ${i % 3}.jsonl`, index: i, line: i + 1 },
  value: { id: `r${i}`, text: `héllo 世界 🙂 ${i}` },
  raw,
});

async function roundTrip(items: Keep<{ id: string; text: string }>[]) {
  const path = join(await mkdtemp(join(tmpdir(), 'chatmill-spill-')), 'records.spill');
  const w = new SpillWriter<{ id: string; text: string }>(path);
  for (const it of items) await w.write(it);
  await w.close();
  const back = [];
  for await (const it of readSpill<{ id: string; text: string }>(path)) back.push(it);
  return { path, back };
}

describe('mix spill', () => {
  it('round-trips records in order, raw text byte for byte', async () => {
    const items = Array.from({ length: 2000 }, (_, i) => item(i, `{"messages":[{"content":"a \\"quoted\\" \\\\ line\\nnext ${'é'.repeat(i % 50)}"}]}\n\r`));
    const { back } = await roundTrip(items);
    expect(back).toEqual(items);
  });

  it('handles frames larger than a read chunk', async () => {
    const big = 'x'.repeat(9 << 20) + 'ü';
    const items = [item(0, 'small'), item(1, big), item(2, 'after')];
    const { back } = await roundTrip(items);
    expect(back.map((b) => b.raw.length)).toEqual([5, (9 << 20) + 1, 5]);
    expect(back[1].raw.endsWith('xü')).toBe(true);
  });

  it('a cut spill file is an error, never a silently shorter stream', async () => {
    const { path } = await roundTrip([item(0, 'a'), item(1, 'b'.repeat(100))]);
    const size = (await readFile(path)).length;
    await truncate(path, size - 10);
    const read = async () => {
      for await (const _ of readSpill(path)) void _;
    };
    await expect(read()).rejects.toThrow(/ends inside a record/);
  });
});
