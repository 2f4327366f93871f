import { describe, expect, it } from 'vitest';
import { jsonlRecords } from '../../src/read/lines.js';
import { DEFAULT_LIMITS } from '../../src/read/limits.js';
import type { Outcome } from '../../src/types.js';
import { chunked } from './helpers.js';

async function lines(buf: Buffer, chunk = 7, maxRecordBytes = DEFAULT_LIMITS.maxRecordBytes) {
  const out: Outcome<unknown>[] = [];
  for await (const o of jsonlRecords('f.jsonl', chunked(buf, chunk), { ...DEFAULT_LIMITS, maxRecordBytes })) out.push(o);
  return out;
}

describe('JSONL line reader', () => {
  it('accepts CRLF and a BOM, skips blank lines, keeps 1-based line numbers', async () => {
    const text = '\uFEFF{"a":1}\r\n\r\n  \r\n{"b":"é"}\r\n{"c":3}';
    const out = await lines(Buffer.from(text, 'utf8'), 3);
    expect(out.map((o) => (o.kind === 'keep' ? [o.ref.line, o.ref.index, o.raw] : o.kind))).toEqual([
      [1, 0, '{"a":1}'],
      [4, 3, '{"b":"é"}'],
      [5, 4, '{"c":3}'],
    ]);
  });

  it('rejects invalid UTF-8 with its line number instead of replacing bytes', async () => {
    const buf = Buffer.concat([Buffer.from('{"ok":1}\n{"bad":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n{"ok":2}\n')]);
    const out = await lines(buf, 5);
    expect(out.map((o) => o.kind)).toEqual(['keep', 'reject', 'keep']);
    const r = out[1];
    expect(r.kind === 'reject' && [r.reason, r.ref.line]).toEqual(['invalid_utf8', 2]);
    expect(r.kind === 'reject' && r.message).toMatch(/line 2 .*offset 8/);
  });

  it('rejects an oversized line without buffering it and carries on with the next', async () => {
    const big = `{"x":"${'a'.repeat(5000)}"}`;
    const out = await lines(Buffer.from(`{"a":1}\n${big}\n{"b":2}\n`), 64, 1000);
    expect(out.map((o) => o.kind)).toEqual(['keep', 'reject', 'keep']);
    const r = out[1];
    if (r.kind !== 'reject') throw new Error('expected reject');
    expect(r.reason).toBe('record_too_large');
    expect(r.ref.line).toBe(2);
    expect(r.rawTruncated).toBe(true);
    expect(r.message).toContain(`${big.length} bytes`);
    expect(r.raw.length).toBeLessThanOrEqual(4096);
  });

  it('reads a last line with no trailing newline', async () => {
    const out = await lines(Buffer.from('{"a":1}\n{"b":2}'), 4);
    expect(out.length).toBe(2);
  });
});

describe('CR-only line endings (issue 10, item 12d)', () => {
  it('a file with CR-only endings is one not_json reject whose message says so', async () => {
    const out = await lines(Buffer.from('{"a":1}\r{"b":2}\r{"c":3}\r'), 4);
    expect(out.length).toBe(1);
    const r = out[0];
    expect(r.kind === 'reject' && r.reason).toBe('not_json');
    expect(r.kind === 'reject' && r.message).toMatch(/line 1: .*CR-only line endings \(\d+ CR characters and no LF\)/);
  });

  it('a record that holds bare CRs as JSON whitespace is still kept', async () => {
    const out = await lines(Buffer.from('{\r"a": 1\r}\n{"b":2}\n'), 4);
    expect(out.map((o) => o.kind)).toEqual(['keep', 'keep']);
  });
});
