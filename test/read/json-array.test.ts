import { describe, expect, it } from 'vitest';
import { jsonArrayRecords } from '../../src/read/json-array.js';
import { DEFAULT_LIMITS } from '../../src/read/limits.js';
import type { Outcome } from '../../src/types.js';
import { chunked } from './helpers.js';

async function elements(text: string | Buffer, chunk = 5, limits = {}) {
  const out: Outcome<unknown>[] = [];
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  for await (const o of jsonArrayRecords('f.json', chunked(buf, chunk), { ...DEFAULT_LIMITS, ...limits })) out.push(o);
  return out;
}

describe('streamed JSON array reader', () => {
  it('cuts out each element, even with brackets and escaped quotes inside strings', async () => {
    const doc = [{ a: '[}{' }, { b: 'say \\"hi\\" ]' }, [1, [2]], 'str', 42, null, { c: { d: [] } }];
    const text = `\n  ${JSON.stringify(doc, null, 2)}\n`;
    for (const size of [1, 3, 64, 4096]) {
      const out = await elements(text, size);
      expect(out.every((o) => o.kind === 'keep')).toBe(true);
      expect(out.map((o) => (o.kind === 'keep' ? JSON.parse(o.raw) : null))).toEqual(doc);
      expect(out.map((o) => o.ref.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    }
  });

  it('records the line each element starts on', async () => {
    const out = await elements('[\n{"a":1},\n\n{"b":\n2}\n]');
    expect(out.map((o) => o.ref.line)).toEqual([2, 4]);
  });

  it('rejects an element that is too large, too deep, or cut off, and keeps the rest', async () => {
    const deep = '['.repeat(50) + ']'.repeat(50);
    const text = `[{"ok":1}, {"big":"${'x'.repeat(300)}"}, ${deep}, {"ok":2}, {"cut":`;
    const out = await elements(text, 16, { maxRecordBytes: 200, maxDepth: 10 });
    // The element cut by the end of the file carries the file's truncated_file reject (issue 10, 12a).
    expect(out.map((o) => (o.kind === 'reject' ? o.reason : 'keep'))).toEqual(['keep', 'record_too_large', 'nesting_too_deep', 'keep', 'truncated_file']);
  });

  it('says so when the file ends before the closing bracket, without counting a record that is not there', async () => {
    // The last element read carries the cut: one element in the file, one outcome.
    const out = await elements('[{"a":1},');
    expect(out.map((o) => (o.kind === 'reject' ? o.reason : 'keep'))).toEqual(['truncated_file']);
  });

  it('rejects invalid UTF-8 inside an element with the element position', async () => {
    const buf = Buffer.concat([Buffer.from('[{"a":"'), Buffer.from([0xff]), Buffer.from('"}, {"b":1}]')]);
    const out = await elements(buf, 4);
    expect(out.map((o) => (o.kind === 'reject' ? o.reason : 'keep'))).toEqual(['invalid_utf8', 'keep']);
  });
});
