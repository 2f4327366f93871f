import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlWriter } from '../../src/jsonl-writer.js';
import { writeFileAtomic } from '../../src/outputs/atomic.js';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';
import { SFT_RECORD } from './helpers.js';

/** A pid that is not running: above Linux's largest pid_max (2^22). */
const DEAD_PID = 4_194_305;

describe('outputs appear whole: temporary name, then rename', () => {
  it('a JSONL writer leaves the final name alone until close, then renames its temporary into place', async () => {
    const dir = tmp();
    const path = join(dir, 'o.jsonl');
    writeFileSync(path, 'previous run\n');
    const w = new JsonlWriter(path);
    expect(readFileSync(path, 'utf8')).toBe('previous run\n');
    // Well past the stream's buffer, so earlier records have reached the disk before close.
    for (let i = 0; i < 5000; i++) await w.write({ a: i });
    expect(readFileSync(path, 'utf8')).toBe('previous run\n');
    await w.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(5001);
    expect(lines[4999]).toBe('{"a":4999}');
    expect(readdirSync(dir)).toEqual(['o.jsonl']);
  });

  it('abort keeps the previous file and removes the temporary; an output with no records is an empty file', async () => {
    const dir = tmp();
    const path = join(dir, 'o.jsonl');
    writeFileSync(path, 'previous run\n');
    const w = new JsonlWriter(path);
    await w.write({ a: 1 });
    await w.abort();
    expect(readFileSync(path, 'utf8')).toBe('previous run\n');
    expect(readdirSync(dir)).toEqual(['o.jsonl']);
    const empty = new JsonlWriter(join(dir, 'empty.jsonl'));
    await empty.close();
    expect(readFileSync(join(dir, 'empty.jsonl'), 'utf8')).toBe('');
  });

  it("a killed process's temporary is removed by the next writer of that file; a live one's is not", async () => {
    const dir = tmp();
    writeFileSync(join(dir, `.o.jsonl.tmp-${DEAD_PID}`), 'half a li');
    writeFileSync(join(dir, `.o.jsonl.tmp-${process.ppid}`), 'another live run');
    const w = new JsonlWriter(join(dir, 'o.jsonl'));
    await w.write({ a: 1 });
    await w.close();
    expect(readdirSync(dir).sort()).toEqual([`.o.jsonl.tmp-${process.ppid}`, 'o.jsonl']);
  });

  it('writeFileAtomic replaces a file whole and leaves nothing else', async () => {
    const dir = tmp();
    const path = join(dir, 'sub', 's.json');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['s.json']);
  });

  it('convert that fails mid-run keeps the previous -o file byte for byte and leaves no temporary', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    // Good records first (so -o is being written), then a reject: its file cannot be created, the run fails.
    writeFileSync(input, `${Array.from({ length: 50 }, (_, i) => SFT_RECORD(i)).join('\n')}\nnot json\n`);
    const out = join(dir, 'out', 'o.jsonl');
    mkdirSync(join(dir, 'out'));
    writeFileSync(out, 'previous complete output\n');
    writeFileSync(join(dir, 'a-file'), '');
    const r = await chatmill(['convert', input, '-o', out, '--rejects', join(dir, 'a-file', 'rejects.jsonl')]);
    expect(r.code, r.stderr).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('previous complete output\n');
    expect(readdirSync(join(dir, 'out'))).toEqual(['o.jsonl']);
    expect(existsSync(join(dir, 'a-file', 'rejects.jsonl'))).toBe(false);
  });
});
