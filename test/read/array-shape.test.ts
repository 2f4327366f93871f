import { describe, expect, it } from 'vitest';
import { jsonArrayRecords } from '../../src/read/json-array.js';
import { DEFAULT_LIMITS } from '../../src/read/limits.js';
import type { Outcome } from '../../src/types.js';
import { chunked, readAll, writeTmp } from './helpers.js';

async function elements(text: string, chunk = 7) {
  const out: Outcome<unknown>[] = [];
  for await (const o of jsonArrayRecords('f.json', chunked(Buffer.from(text), chunk), DEFAULT_LIMITS)) out.push(o);
  return out;
}
const kinds = (out: Outcome<unknown>[]) => out.map((o) => (o.kind === 'reject' ? o.reason : o.kind));

describe('a JSON array missing its closing ] (issue 10, item 12a)', () => {
  it('999 elements give read 999: the last element carries the truncated_file reject', async () => {
    const text = '[' + Array.from({ length: 999 }, (_, i) => `{"i":${i}}`).join(',\n');
    const out = await readAll(writeTmp('cut.json', text));
    expect(out.length).toBe(999);
    expect(out.slice(0, 998).every((o) => o.kind === 'keep')).toBe(true);
    const last = out[998];
    expect(last.kind === 'reject' && [last.reason, last.ref.index, last.raw]).toEqual(['truncated_file', 998, '{"i":998}']);
    expect(last.kind === 'reject' && last.message).toMatch(/cut\.json: the file ends at byte offset \d+ \(line 999\) before the closing \]/);
  });

  it('a scalar last element is not trusted whole either; an array with no element is one reject', async () => {
    expect(kinds(await elements('[1, 2, 3'))).toEqual(['keep', 'keep', 'truncated_file']);
    expect(kinds(await elements('[\n'))).toEqual(['truncated_file']);
  });
});

describe('broken punctuation between array elements (issue 10, item 12e)', () => {
  it('[{..} {..},,] rejects each broken place with its position and keeps the elements around them', async () => {
    for (const size of [1, 5, 4096]) {
      const out = await elements('[{"a":1} {"b":2},,]', size);
      expect(kinds(out)).toEqual(['keep', 'not_json', 'keep', 'not_json', 'not_json']);
      expect(out.map((o) => o.ref.index)).toEqual([0, 1, 2, 3, 4]);
      expect(out.filter((o) => o.kind === 'reject').map((o) => o.kind === 'reject' && o.message)).toEqual([
        'f.json: a missing comma before array element 1 at line 1, byte offset 9',
        'f.json: an empty array element (two commas in a row) at line 1, byte offset 17',
        'f.json: a comma before the closing ] (trailing comma) at line 1, byte offset 18',
      ]);
    }
  });

  it('a leading comma and two scalars without a comma are rejected too', async () => {
    expect(kinds(await elements('[,1 2]'))).toEqual(['not_json', 'keep', 'not_json', 'keep']);
  });
});
