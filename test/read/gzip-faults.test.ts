import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../src/read/index.js';
import { DEFAULT_LIMITS } from '../../src/read/limits.js';
import type { Outcome } from '../../src/types.js';
import { tmp, writeTmp } from './helpers.js';

const line = (i: number) => JSON.stringify({ messages: [{ role: 'user', content: `question ${i} ${'pad '.repeat(i % 7)}` }, { role: 'assistant', content: `answer ${i}` }] });
const jsonl = (n: number) => Array.from({ length: n }, (_, i) => line(i)).join('\n') + '\n';

async function readBoth(bad: string, dir: string): Promise<{ bad: Outcome<unknown>[]; next: Outcome<unknown>[] }> {
  const next = writeTmp('next.jsonl', `${line(0)}\n`, dir);
  const out: Outcome<unknown>[] = [];
  for await (const o of readInputs([bad, next], { limits: DEFAULT_LIMITS })) out.push(o);
  return { bad: out.filter((o) => o.ref.source === bad), next: out.filter((o) => o.ref.source === next) };
}

describe('a cut or corrupt .gz keeps what came before and is one reject; the next input is read (issue 10, item 6)', () => {
  it('a truncated .jsonl.gz: the lines before the cut are kept, the cut line is the one truncated_file reject, with the offsets', async () => {
    const dir = tmp();
    const text = jsonl(3000);
    const gz = gzipSync(text);
    const path = writeTmp('cut.jsonl.gz', gz.subarray(0, Math.floor(gz.length / 2)), dir);
    const { bad, next } = await readBoth(path, dir);
    const last = bad[bad.length - 1];
    expect(last.kind === 'reject' && last.reason).toBe('truncated_file');
    expect(bad.slice(0, -1).every((o) => o.kind === 'keep')).toBe(true);
    // The partial line is the reject (not counted twice): its line number follows the last whole line.
    expect(last.ref.line).toBe(bad.length);
    const kept = bad.slice(0, -1).map((o) => (o.kind === 'keep' ? o.raw : ''));
    expect(kept).toEqual(text.split('\n').slice(0, kept.length));
    expect(last.kind === 'reject' && last.message).toMatch(/cut\.jsonl\.gz: the gzip data is cut off \(unexpected end of file\) at decompressed byte \d+ \(compressed bytes consumed: \d+\)/);
    expect(next.map((o) => o.kind)).toEqual(['keep']);
  });

  it('a .jsonl.gz with a bad checksum: the lines delivered before the check are kept, the rest is one corrupt_file', async () => {
    const dir = tmp();
    const gz = Buffer.from(gzipSync(jsonl(3000)));
    gz[gz.length - 6] ^= 0xff; // inside the CRC32 trailer
    const path = writeTmp('crc.jsonl.gz', gz, dir);
    const { bad, next } = await readBoth(path, dir);
    // zlib withholds the output of its last step when the check fails (at most one 64 KiB output chunk):
    // those lines are inside the reject's "rest of the file", whose decompressed offset the message gives.
    expect(bad.length).toBeGreaterThan(2000);
    expect(bad.slice(0, -1).every((o) => o.kind === 'keep')).toBe(true);
    const last = bad[bad.length - 1];
    expect(last).toMatchObject({ kind: 'reject', reason: 'corrupt_file', ref: { line: bad.length } });
    expect(last.kind === 'reject' && last.message).toMatch(/crc\.jsonl\.gz: the gzip data is corrupt \(incorrect data check\) at decompressed byte \d+/);
    expect(next.length).toBe(1);
  });

  it('garbled deflate data mid-file: corrupt_file after the records before it', async () => {
    const dir = tmp();
    const gz = Buffer.from(gzipSync(jsonl(3000), { level: 1 }));
    gz.fill(0xff, Math.floor(gz.length / 2), Math.floor(gz.length / 2) + 64);
    const path = writeTmp('garbled.jsonl.gz', gz, dir);
    const { bad, next } = await readBoth(path, dir);
    const rejects = bad.filter((o) => o.kind === 'reject');
    expect(rejects.map((o) => o.kind === 'reject' && o.reason)).toContain('corrupt_file');
    expect(rejects[rejects.length - 1]).toBe(bad[bad.length - 1]);
    expect(bad.length).toBeGreaterThan(100);
    expect(next.length).toBe(1);
  });

  it('a truncated .json.gz array: the element at the cut carries the truncated_file reject', async () => {
    const dir = tmp();
    const elements = Array.from({ length: 2000 }, (_, i) => JSON.parse(line(i)));
    const gz = gzipSync(JSON.stringify(elements, null, 1));
    const path = writeTmp('cut.json.gz', gz.subarray(0, Math.floor(gz.length * 0.6)), dir);
    const { bad, next } = await readBoth(path, dir);
    const last = bad[bad.length - 1];
    expect(last.kind === 'reject' && last.reason).toBe('truncated_file');
    expect(bad.slice(0, -1).every((o) => o.kind === 'keep')).toBe(true);
    expect(bad.map((o) => o.ref.index)).toEqual(bad.map((_, i) => i));
    expect(next.length).toBe(1);
  });

  it('a .gz cut inside its header is one truncated_file reject, not a usage error', async () => {
    const dir = tmp();
    const path = writeTmp('stub.jsonl.gz', gzipSync(jsonl(5)).subarray(0, 6), dir);
    const { bad, next } = await readBoth(path, dir);
    expect(bad.map((o) => o.kind === 'reject' && o.reason)).toEqual(['truncated_file']);
    expect(next.length).toBe(1);
  });
});
