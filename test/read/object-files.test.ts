import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/types.js';
import { readAll, tmp, writeTmp } from './helpers.js';

const msgs = [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }];
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const kinds = (out: Outcome<unknown>[]) => out.map((o) => (o.kind === 'reject' ? o.reason : o.kind));

describe('.json files whose top level is an object obey --max-depth and --max-record-bytes (issue 10, item 4)', () => {
  it('a single record with a 150-deep field is nesting_too_deep, as it is from JSONL', async () => {
    const path = writeTmp('deep.json', `{"messages": ${JSON.stringify(msgs)}, "meta": ${nested(150)}}`);
    expect(kinds(await readAll(path))).toEqual(['nesting_too_deep']);
  });

  it('a 100,000-deep single record is a reject, not a stack overflow', async () => {
    const path = writeTmp('deeper.json', `{"messages": ${JSON.stringify(msgs)}, "meta": ${nested(100_000)}}`);
    expect(kinds(await readAll(path))).toEqual(['nesting_too_deep']);
  });

  it('a single record over --max-record-bytes is record_too_large, with a preview, not read into memory', async () => {
    const path = writeTmp('big.json', JSON.stringify({ messages: msgs, pad: 'x'.repeat(50_000) }));
    const out = await readAll(path, { maxRecordBytes: 10_000 });
    expect(kinds(out)).toEqual(['record_too_large']);
    const r = out[0];
    expect(r.kind === 'reject' && [r.rawTruncated, r.raw.length <= 4096, r.message]).toEqual([true, true, expect.stringMatching(/big\.json: the record is \d+ bytes, over --max-record-bytes 10000/)]);
  });

  it('a wrapper {"data": [...]} streams its list: a deep or oversized element is rejected alone, with its line', async () => {
    const ok = JSON.stringify({ messages: msgs });
    const text = `{"version": 2, "data": [\n${ok},\n{"messages": ${nested(1000)}},\n${ok},\n{"messages": [], "pad": "${'x'.repeat(5000)}"},\n${ok}\n]}`;
    const out = await readAll(writeTmp('wrapped.json', text), { maxRecordBytes: 3000 });
    expect(kinds(out)).toEqual(['keep', 'nesting_too_deep', 'keep', 'record_too_large', 'keep']);
    expect(out.map((o) => [o.ref.index, o.ref.line])).toEqual([[0, 2], [1, 3], [2, 4], [3, 5], [4, 6]]);
    expect(out[0].kind === 'keep' && out[0].raw).toBe(ok);
  });

  it('a wrapper bigger than --max-record-bytes is still read, element by element', async () => {
    const ok = JSON.stringify({ messages: msgs });
    const text = `{"data": [${Array.from({ length: 3000 }, () => ok).join(',')}]}`;
    const out = await readAll(writeTmp('many.json', text), { maxRecordBytes: 1000 });
    expect(out.length).toBe(3000);
    expect(out.every((o) => o.kind === 'keep')).toBe(true);
  });

  it('an object with record keys is one record even when a list of objects comes first (tools before messages)', async () => {
    const doc = { tools: [{ name: 'f' }], messages: msgs };
    const out = await readAll(writeTmp('tools.json', JSON.stringify(doc, null, 2)));
    expect(out.length).toBe(1);
    expect(out[0].kind === 'keep' && JSON.parse(out[0].raw)).toEqual(doc);
  });

  it('a cut object file is one truncated_file; a cut wrapper keeps the elements before the cut', async () => {
    expect(kinds(await readAll(writeTmp('cut.json', `{"messages": [\n{"role": "user",`)))).toEqual(['truncated_file']);
    const ok = JSON.stringify({ messages: msgs });
    expect(kinds(await readAll(writeTmp('cutwrap.json', `{"data": [\n${ok},\n${ok},\n{"messages": [`)))).toEqual(['keep', 'keep', 'truncated_file']);
    // The list closed but the wrapper did not: the last element carries the cut.
    expect(kinds(await readAll(writeTmp('cutafter.json', `{"data": [\n${ok},\n${ok}]\n`)))).toEqual(['keep', 'truncated_file']);
  });

  it('a 100,000-deep record is a reject in every container', async () => {
    const deepRecord = `{"messages": ${nested(100_000)}}`;
    const dir = tmp();
    for (const [name, text] of [
      ['d.jsonl', `${deepRecord}\n`],
      ['d-array.json', `[${deepRecord}]`],
      ['d-object.json', deepRecord],
      ['d-wrapper.json', `{"data": [${deepRecord}]}`],
    ]) {
      const out = await readAll(writeTmp(name, text, dir));
      expect(out.length).toBe(1);
      // JSONL lines are depth-checked by the parse stage (before JSON.parse); the others already in the reader.
      if (name !== 'd.jsonl') expect(kinds(out)).toEqual(['nesting_too_deep']);
    }
  });
});
