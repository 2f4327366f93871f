import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stampedSha256, writeStamp } from '../../src/tokens/compiled-stamp.js';
import { llama3Dir, resolveTokenizerFiles } from '../../src/tokens/source.js';

/**
 * Stamps (src/tokens/compiled-stamp.ts): a tokenizer.json's sha256 is taken from its stamp only while the file is
 * the same file, unchanged; any change to it is seen and the file is hashed again.
 */

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bigStat = (p: string) => statSync(p, { bigint: true });

describe('stamps', () => {
  let dir = '';
  let file = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chatmill-stamp-'));
    file = join(dir, 'tokenizer.json');
    writeFileSync(file, '{"a": 1}');
    // A whole-second modification time, so a test below can put it back exactly.
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    // A file changed in the last 2 s is not stamped (a write in the same clock tick could go unseen).
    await sleep(2_100);
  });

  it('gives the remembered hash while the file is unchanged', () => {
    expect(stampedSha256(file, dir)).toBeUndefined();
    expect(writeStamp(file, bigStat(file), sha('{"a": 1}'), dir)).toBe(true);
    expect(stampedSha256(file, dir)).toBe(sha('{"a": 1}'));
  });

  it('gives nothing once the file is rewritten, even with the same size and its old modification time put back', () => {
    const before = bigStat(file);
    writeFileSync(file, '{"a": 2}');
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    expect(bigStat(file).size).toBe(before.size);
    expect(bigStat(file).mtimeNs).toBe(before.mtimeNs);
    expect(stampedSha256(file, dir)).toBeUndefined();
  });

  it('does not stamp a file changed within the last 2 s, nor one that changed while it was read', () => {
    writeFileSync(file, '{"a": 3}');
    expect(writeStamp(file, bigStat(file), sha('{"a": 3}'), dir)).toBe(false);
    const older = bigStat(file);
    writeFileSync(file, '{"a": 4, "b": 5}');
    expect(writeStamp(file, older, sha('{"a": 3}'), dir)).toBe(false);
    expect(stampedSha256(file, dir)).toBeUndefined();
  });

  it('gives nothing for a damaged stamp', async () => {
    const f = join(dir, 'other.json');
    writeFileSync(f, '{}');
    await sleep(2_100);
    expect(writeStamp(f, bigStat(f), sha('{}'), dir)).toBe(true);
    for (const name of readdirSync(join(dir, 'stamps'))) writeFileSync(join(dir, 'stamps', name), '{"sha256": "not json');
    expect(stampedSha256(f, dir)).toBeUndefined();
  });
});

describe('a tokenizer.json that changes between runs is hashed again', () => {
  const saved = process.env.CHATMILL_CACHE;
  let work = '';
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'chatmill-stamp-tok-'));
    process.env.CHATMILL_CACHE = join(work, 'cache');
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.CHATMILL_CACHE;
    else process.env.CHATMILL_CACHE = saved;
  });

  it('same size, new bytes: a new sha256 and new compiled tables, not the stamped ones', async () => {
    const path = join(work, 'tokenizer.json');
    copyFileSync(join(llama3Dir(), 'tokenizer.json'), path);
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    await sleep(2_100);
    const original = readFileSync(path);
    const first = await resolveTokenizerFiles({ spec: path });
    expect(first.sha256).toBe(sha(original));
    expect(first.compiledNote).toBe('compiled');
    const again = await resolveTokenizerFiles({ spec: path });
    expect(again.compiledNote).toBe('hit');
    expect(again.sha256).toBe(sha(original));
    expect(readdirSync(join(work, 'cache', 'stamps'))).toHaveLength(1);

    // Rename one vocabulary token to another of the same length: same size, still a valid tokenizer.
    const text = original.toString('utf8');
    const changed = text.replace('"<|reserved_special_token_31|>"', '"<|reserved_special_token_XX|>"');
    expect(changed).not.toBe(text);
    expect(Buffer.byteLength(changed)).toBe(original.length);
    writeFileSync(path, changed);
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    const third = await resolveTokenizerFiles({ spec: path });
    expect(third.sha256).toBe(sha(changed));
    expect(third.compiledNote).toBe('compiled');
    expect(third.compiled!.meta.added.some((t) => t.content === '<|reserved_special_token_XX|>')).toBe(true);
  });
});
