import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';
import { FILE_FAULT_REASONS, Tally } from '../../src/tally.js';
import { PREF_RECORD, SFT_RECORD, jsonlFile } from './helpers.js';

/**
 * A file-level fault (`truncated_file`, `corrupt_file`) makes every reading command exit 1 after writing
 * everything, even though the records before the fault were kept. The fault here is a JSON array cut before
 * its closing `]`: the array reader keeps every element but the last, which carries the `truncated_file`
 * reject (nothing after it shows the file ended where its writer meant it to).
 */
function cutArray(dir: string, make: (i: number) => string, n: number, name = 'cut.json'): string {
  const p = join(dir, name);
  writeFileSync(p, `[${Array.from({ length: n }, (_, i) => make(i)).join(',')}`);
  return p;
}

describe('exit 1 when an input file is damaged', () => {
  it('the fault reasons live in one place', () => {
    expect([...FILE_FAULT_REASONS].sort()).toEqual(['corrupt_file', 'truncated_file']);
    const t = new Tally();
    t.countReason('not_json');
    expect(t.fileFaults()).toEqual({});
    t.countReason('truncated_file');
    t.countReason('corrupt_file');
    t.countReason('corrupt_file');
    expect(t.fileFaults()).toEqual({ truncated_file: 1, corrupt_file: 2 });
  });

  it('convert: writes the kept records and the reject, reads the next input, exits 1', async () => {
    const dir = tmp();
    const cut = cutArray(dir, SFT_RECORD, 5);
    const after = jsonlFile('after.jsonl', 3, SFT_RECORD, dir);
    const out = join(dir, 'o.jsonl');
    const rejects = join(dir, 'rejects.jsonl');
    const r = await chatmill(['convert', cut, after, '-o', out, '--rejects', rejects, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(summary.kept).toBe(7); // 4 of the cut array's 5 elements, and the 3 of the next file
    expect(summary.reasons).toEqual({ truncated_file: 1 });
    expect(r.stderr).toMatch(/damaged input file.*truncated_file 1/);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(7);
    expect(JSON.parse(readFileSync(rejects, 'utf8'))).toMatchObject({ source: cut, reason: 'truncated_file' });
  });

  it('convert without a fault still exits 0 even with ordinary rejects', async () => {
    const dir = tmp();
    const p = join(dir, 'bad.jsonl');
    writeFileSync(p, `${SFT_RECORD(0)}\nnot json\n`);
    const r = await chatmill(['convert', p, '-o', join(dir, 'o.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('audit and pairs exit 1 too, after writing their outputs', async () => {
    const dir = tmp();
    const a = await chatmill(['audit', cutArray(dir, SFT_RECORD, 4), '--out', join(dir, 'audit')]);
    expect(a.code, a.stderr).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'audit', 'audit.json'), 'utf8')).records).toBe(3);
    const p = await chatmill(['pairs', cutArray(dir, PREF_RECORD, 3, 'pcut.json'), '-o', join(dir, 'p.jsonl'), '--no-tokens', '--stats', join(dir, 's.json')]);
    expect(p.code, p.stderr).toBe(1);
    expect(readFileSync(join(dir, 'p.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')).pairs).toBe(2);
  });

  it('run exits 1, after promoting every output (summary.json included)', async () => {
    const dir = tmp();
    const cut = cutArray(dir, SFT_RECORD, 4);
    const p = join(dir, 'p.yaml');
    writeFileSync(p, `name: t\nout: ${join(dir, 'out')}\ndatasets:\n  sft:\n    inputs: [${cut}]\n    stages:\n      - write: { path: sft.jsonl }\n`);
    const r = await chatmill(['run', p, '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8')).reasons).toEqual({ truncated_file: 1 });
    expect(readFileSync(join(dir, 'out', 'sft.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('a truncated .gz: the records before the cut are kept, later inputs are read, exit 1', async () => {
    const dir = tmp();
    const whole = gzipSync(Buffer.from(Array.from({ length: 200 }, (_, i) => `${SFT_RECORD(i)}\n`).join('')));
    const gz = join(dir, 'cut.jsonl.gz');
    writeFileSync(gz, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const after = jsonlFile('after.jsonl', 3, SFT_RECORD, dir);
    for (const cmd of [['validate'], ['convert', '-o', join(dir, 'o.jsonl')]]) {
      const r = await chatmill([cmd[0], gz, after, ...cmd.slice(1), '--json']);
      expect(r.code, r.stderr).toBe(1);
      const summary = JSON.parse(r.stdout);
      expect(summary.reasons.truncated_file).toBe(1);
      expect(summary.files.find((f: { path: string }) => f.path === after).kept).toBe(3);
    }
  });
});
