import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { haveRealdata, real } from '../helpers/realdata.js';
import { tmp } from '../read/helpers.js';

const SUMMARY_KEYS = ['files', 'read', 'kept', 'rejected', 'dropped', 'reasons', 'warnings'];
const FILE_KEYS = ['path', 'format', 'read', 'kept', 'rejected', 'dropped'];

const good = JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }] });
const alpaca = JSON.stringify({ instruction: 'Add', input: '1+1', output: '2' });

describe('chatmill validate / convert / formats', () => {
  it('--help lists every command and exits 0', async () => {
    const r = await chatmill(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['validate', 'convert', 'run', 'formats', 'audit', 'pairs', 'export', 'push']) expect(r.stdout).toContain(`chatmill ${c}`);
  });

  it('validate prints the JSON summary contract, writes rejects with reason/path/raw, exits 1 on rejects', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, `${good}\n{"messages": [{"role": "user", "content": "only a question"}]}\nnot json\n${good}\n`);
    const rejects = join(dir, 'rejects.jsonl');
    const r = await chatmill(['validate', input, '--json', '--rejects', rejects]);
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(Object.keys(s)).toEqual(SUMMARY_KEYS);
    expect(Object.keys(s.files[0])).toEqual(FILE_KEYS);
    expect(s).toMatchObject({ read: 4, kept: 2, rejected: 2, dropped: 0, reasons: { no_assistant_turn: 1, not_json: 1 } });
    expect(s.files[0]).toMatchObject({ path: input, format: 'openai', read: 4, kept: 2, rejected: 2, dropped: 0 });
    const lines = readFileSync(rejects, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.reason, l.index, l.line, l.path])).toEqual([
      ['no_assistant_turn', 1, 2, 'messages'],
      ['not_json', 2, 3, ''],
    ]);
    expect(lines[1].raw).toBe('not json');
    expect(r.stderr).toContain('no_assistant_turn');
  });

  it('validate exits 0 when nothing is rejected, and 2 for a missing input or an unknown option', async () => {
    const input = join(tmp(), 'ok.jsonl');
    writeFileSync(input, `${good}\n`);
    expect((await chatmill(['validate', input])).code).toBe(0);
    const missing = await chatmill(['validate', join(tmp(), 'nope.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.jsonl: no such file/);
    expect((await chatmill(['validate', input, '--frobnicate'])).code).toBe(2);
  });

  it('reads stdin with -', async () => {
    const r = await chatmill(['validate', '-', '--json'], { input: `${alpaca}\n${good}\n` });
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 2, kept: 2, files: [{ path: '-', format: 'mixed' }] });
  });

  it('convert writes normalized records, dropped.jsonl with duplicate_of, and round-trips', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, `${good}\n${alpaca}\n${good}\n`);
    const out = join(dir, 'out.jsonl');
    const dropped = join(dir, 'dropped.jsonl');
    const r = await chatmill(['convert', input, '-o', out, '--dedup', '--dropped', dropped, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 3, kept: 2, dropped: 1 });
    const first = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(first.map((x) => [x.index, x.format, x.messages.length])).toEqual([[0, 'openai', 2], [1, 'alpaca', 2]]);
    const drop = JSON.parse(readFileSync(dropped, 'utf8'));
    expect(drop).toMatchObject({ index: 2, reason: 'duplicate', duplicate_of: first[0].id });

    const again = join(dir, 'again.jsonl');
    expect((await chatmill(['convert', out, '-o', again])).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
  });

  it('formats lists the detectable formats', async () => {
    const r = await chatmill(['formats', '--json']);
    expect(JSON.parse(r.stdout).formats.map((f: { name: string }) => f.name)).toEqual(['chatmill', 'openai', 'sharegpt', 'chatml', 'alpaca', 'prompt_completion']);
  });
});

describe.skipIf(!haveRealdata)('convert round trip on real files (skipped without ../shared)', () => {
  it.each(['llamafactory/glaive_toolcall_en_demo.json', 'openai-cookbook/drone_training.jsonl', 'llamafactory/reason_tool_use_demo_50.jsonl', 'llamafactory/alpaca_zh_demo.json'])(
    '%s: convert output fed back in gives the same records',
    async (file) => {
      const dir = tmp();
      const once = join(dir, 'once.jsonl');
      const twice = join(dir, 'twice.jsonl');
      expect((await chatmill(['convert', real(file), '-o', once])).code).toBe(0);
      const r = await chatmill(['convert', once, '-o', twice, '--json']);
      expect(JSON.parse(r.stdout)).toMatchObject({ rejected: 0, dropped: 0 });
      expect(readFileSync(twice, 'utf8')).toBe(readFileSync(once, 'utf8'));
    },
  );
});
