import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIngest } from '../../src/ingest.js';
import type { Conversation } from '../../schemas/chatml.js';
import { tmp, writeTmp } from '../read/helpers.js';

async function ingest(path: string, extra = {}) {
  const kept: Conversation[] = [];
  const rejects: { reason: string; line?: number; index: number }[] = [];
  const tally = await runIngest({
    inputs: [path],
    onOutput: (item) => {
      kept.push(item.value as Conversation);
    },
    sinks: { reject: (r) => void rejects.push({ reason: r.reason, line: r.ref.line, index: r.ref.index }), drop: () => undefined },
    ...extra,
  });
  return { kept, rejects, summary: tally.summary() };
}

describe('bad input gets a clear error, never a crash or silent damage', () => {
  it('__proto__ and constructor keys stay data and pollute no prototype', async () => {
    const line = '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted2": 1}}, "messages": [{"role": "user", "content": "q", "__proto__": {"role": "system"}}, {"role": "assistant", "content": "a"}], "tools": [{"name": "f", "__proto__": {"x": 1}}]}';
    const { kept, summary } = await ingest(writeTmp('p.jsonl', `${line}\n`));
    expect(summary.kept).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted2).toBeUndefined();
    expect(kept[0].messages[0].role).toBe('user');
    // The odd keys survive as plain data in meta (not as prototypes).
    expect(Object.getPrototypeOf(kept[0].meta)).toBe(Object.prototype);
    expect(Object.hasOwn(kept[0].meta!, '__proto__')).toBe(true);
    expect(JSON.parse(JSON.stringify(kept[0].meta)).__proto__).toEqual({ polluted: 'yes' });
  });

  it('a record nested 100,000 deep is rejected as nesting_too_deep, in JSONL and in a JSON array', async () => {
    const deep = `{"messages": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const a = await ingest(writeTmp('deep.jsonl', `${deep}\n{"instruction":"i","input":"","output":"o"}\n`));
    expect(a.rejects).toEqual([{ reason: 'nesting_too_deep', line: 1, index: 0 }]);
    expect(a.summary.kept).toBe(1);
    const b = await ingest(writeTmp('deep.json', `[${deep}, {"instruction":"i","input":"","output":"o"}]`));
    expect(b.rejects.map((r) => r.reason)).toEqual(['nesting_too_deep']);
    expect(b.summary.kept).toBe(1);
  });

  it('a 200 MB single line is rejected as record_too_large without running out of memory', async () => {
    const dir = tmp();
    const path = join(dir, 'huge.jsonl');
    const out = createWriteStream(path);
    out.write('{"instruction":"i","input":"","output":"o"}\n{"text":"');
    const block = 'x'.repeat(1 << 20);
    for (let i = 0; i < 200; i++) if (!out.write(block)) await new Promise((r) => out.once('drain', r));
    out.write('"}\n{"instruction":"i2","input":"","output":"o2"}\n');
    await new Promise((r) => out.end(r));
    const { rejects, summary } = await ingest(path);
    expect(rejects).toEqual([{ reason: 'record_too_large', line: 2, index: 1 }]);
    expect(summary.kept).toBe(2);
    // Peak memory for this case is measured by bench/convert-2gb.mjs, not here.
  });

  it('a binary file is one corrupt_file reject naming the file, and the next input is still read', async () => {
    const dir = tmp();
    const p = writeTmp('blob.jsonl', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3]), dir);
    const good = writeTmp('good.jsonl', '{"instruction":"i","input":"","output":"o"}\n', dir);
    const kept: Conversation[] = [];
    const rejects: { reason: string; message: string }[] = [];
    const tally = await runIngest({
      inputs: [p, good],
      onOutput: (item) => void kept.push(item.value as Conversation),
      sinks: { reject: (r) => void rejects.push({ reason: r.reason, message: r.message }), drop: () => undefined },
    });
    expect(rejects).toEqual([{ reason: 'corrupt_file', message: expect.stringMatching(/blob\.jsonl looks like a binary file/) }]);
    expect(kept).toHaveLength(1);
    expect(tally.summary().files.map((f) => [f.read, f.kept, f.rejected])).toEqual([[1, 0, 1], [1, 1, 0]]);
  });

  it('a stray NUL in one JSONL line near the start rejects that line only (the fuzzer found it stopped the run)', async () => {
    // Line 2 holds a raw NUL byte (invalid inside a JSON string), within the first 8 KB of the file.
    const p = writeTmp('nul.jsonl', Buffer.concat([
      Buffer.from('{"instruction":"a","input":"","output":"o"}\n{"instruction":"b'),
      Buffer.from([0]),
      Buffer.from('","input":"","output":"o"}\n{"instruction":"c","input":"","output":"o"}\n'),
    ]));
    const { kept, rejects } = await ingest(p);
    expect(rejects).toEqual([{ reason: 'not_json', line: 2, index: 1 }]);
    expect(kept.map((k) => k.messages[0].content)).toEqual(['a', 'c']);
  });

  it('invalid UTF-8 is rejected with its line number', async () => {
    const p = writeTmp('bad.jsonl', Buffer.concat([Buffer.from('{"instruction":"i","input":"","output":"o"}\n{"instruction":"'), Buffer.from([0xe9]), Buffer.from('t","output":"x"}\n')]));
    const { rejects } = await ingest(p);
    expect(rejects).toEqual([{ reason: 'invalid_utf8', line: 2, index: 1 }]);
  });

  it('a Python-repr "JSONL" file rejects every line with its line number', async () => {
    const p = writeTmp('repr.jsonl', "{'instruction': 'a', 'output': 'b'}\n{'instruction': 'c', 'output': None}\n\n{'x': True}\n");
    const { rejects, summary } = await ingest(p);
    expect(rejects).toEqual([
      { reason: 'not_json', line: 1, index: 0 },
      { reason: 'not_json', line: 2, index: 1 },
      { reason: 'not_json', line: 4, index: 3 },
    ]);
    expect(summary.files[0]).toMatchObject({ read: 3, kept: 0, rejected: 3, dropped: 0 });
  });

  it('a missing input is a usage error, not an empty run', async () => {
    await expect(ingest(join(tmp(), 'nope.jsonl'))).rejects.toThrow(/no such file/);
  });
});
