import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dedupStage } from '../../src/stages/dedup.js';
import { contentId } from '../../src/formats/normalize.js';
import type { Keep, Outcome } from '../../src/types.js';
import type { Message } from '../../schemas/chatml.js';

/**
 * The dedup stage keeps kept ids in a temporary file and reads one back only for a duplicate. These check
 * that what comes back is exact (short ids still in the write buffer, ids written straight to disk, ids
 * past the first megabyte, content ids that are never written) and that no file or descriptor outlives the
 * stage, on success and on an error.
 */
type Rec = { id: string; messages: Message[] };
const messages = (i: number): Message[] => [{ role: 'user', content: `q${i}` }, { role: 'assistant', content: 'a' }];
const item = (index: number, value: Rec): Keep<Rec> => ({ kind: 'keep', ref: { source: 's', index }, value, raw: '' });
const ctx = { warn() {}, noteFormat() {} };

const savedTmp = process.env.TMPDIR;
const base = tmpdir();
afterEach(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
});
const openFds = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : 0);

describe('dedup id file', () => {
  it('duplicate_of is the exact first id, whatever its size or where it sits in the file', async () => {
    const dir = mkdtempSync(join(base, 'chatmill-dedup-test-'));
    process.env.TMPDIR = dir;
    const ids = [
      'short',
      'é'.repeat(700_000), // 1.4 MB of UTF-8: written straight to the file, not through the buffer
      ...Array.from({ length: 3000 }, (_, i) => `id-${i}-${'z'.repeat(400)}`), // fill and flush the buffer a few times
      contentId(messages(3002)), // a content id is rebuilt from the hash, never written
      '',
    ];
    const input = (async function* () {
      for (let i = 0; i < ids.length; i++) yield item(i, { id: ids[i], messages: messages(i) });
      for (let i = 0; i < ids.length; i++) yield item(ids.length + i, { id: `again-${i}`, messages: messages(i) });
    })();
    const fdsBefore = openFds();
    const out: Outcome<Rec>[] = [];
    for await (const o of dedupStage().run(input, ctx)) out.push(o);
    const drops = out.filter((o) => o.kind === 'drop');
    expect(out.filter((o) => o.kind === 'keep')).toHaveLength(ids.length);
    expect(drops.map((d) => d.duplicateOf)).toEqual(ids);
    expect(drops[0].message).toBe('same messages as record short');
    expect(readdirSync(dir)).toEqual([]);
    expect(openFds()).toBe(fdsBefore);
  });

  it('an error upstream closes the file and leaves nothing behind', async () => {
    const dir = mkdtempSync(join(base, 'chatmill-dedup-test-'));
    process.env.TMPDIR = dir;
    const input = (async function* () {
      for (let i = 0; i < 10; i++) yield item(i, { id: `id-${i}`, messages: messages(i) });
      throw new Error('reader failed');
    })();
    const fdsBefore = openFds();
    await expect(async () => {
      for await (const _ of dedupStage().run(input, ctx)) void _;
    }).rejects.toThrow('reader failed');
    expect(readdirSync(dir)).toEqual([]);
    expect(openFds()).toBe(fdsBefore);
  });
});
