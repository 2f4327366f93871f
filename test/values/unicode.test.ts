import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';
import { hyRows } from '../export/helpers.js';
import { parquetWriteFile } from 'hyparquet-writer';
import { parseStage } from '../../src/stages/parse.js';
import { keep } from '../../src/types.js';

const isWellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * Issue 10 item 8: a lone surrogate (`\ud800` written as a JSON escape; strict UTF-8 decoding keeps it out
 * of the bytes themselves) is `invalid_unicode` with the JSON path of the first bad string, key or value.
 * Lines are written as raw JSON text here, because JSON.stringify would escape differently.
 */
const turns = (answer: string) => `[{"role":"user","content":"Hi"},{"role":"assistant","content":"${answer}"}]`;
const LINES = [
  `{"id":"good","messages":${turns('fine')}}`,
  `{"id":"value","messages":${turns('a\\ud800b')}}`,
  `{"id":"key","messages":${turns('ok')},"note":{"k\\uDC00":1}}`,
  `{"id":"trail","messages":${turns('ends high \\uD83D')}}`,
  // Not lone: a pair (an emoji), an escaped backslash before "ud800", and a literal emoji.
  `{"id":"pair","messages":${turns('smile \\ud83d\\ude00')}}`,
  `{"id":"slash","messages":${turns('path C:\\\\ud800')}}`,
  `{"id":"emoji","messages":${turns('smile 😀')}}`,
];

describe('lone surrogates are invalid_unicode (item 8)', () => {
  it('convert rejects each bad record with the path of the first bad string and keeps the rest', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, `${LINES.join('\n')}\n`);
    const out = join(dir, 'out.jsonl');
    const rejects = join(dir, 'rejects.jsonl');
    const r = await chatmill(['convert', input, '-o', out, '--rejects', rejects, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 7, kept: 4, rejected: 3, dropped: 0, reasons: { invalid_unicode: 3 } });
    const rej = readFileSync(rejects, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rej.map((x) => [x.index, x.line, x.stage, x.reason, x.path])).toEqual([
      [1, 2, 'parse', 'invalid_unicode', 'messages[1].content'],
      [2, 3, 'parse', 'invalid_unicode', 'note["k\\udc00"]'],
      [3, 4, 'parse', 'invalid_unicode', 'messages[1].content'],
    ]);
    expect(rej[0].raw).toBe(LINES[1]);
    expect(rej[0].message).toMatch(/lone surrogate/);
    const kept = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(kept.map((k) => k.id)).toEqual(['good', 'pair', 'slash', 'emoji']);
    expect(kept[1].messages[1].content).toBe('smile 😀');
    expect(kept[2].messages[1].content).toBe('path C:\\ud800');
    // No string kept holds a lone surrogate.
    for (const k of kept) for (const m of k.messages) expect(isWellFormed(m.content)).toBe(true);
  });

  it('a run writes the same records to its JSONL and its Parquet export', async () => {
    const dir = tmp();
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, `${LINES.join('\n')}\n`);
    const pipeline = join(dir, 'p.yaml');
    writeFileSync(pipeline, `name: t\ndatasets:\n  sft:\n    inputs: [${input}]\n    stages:\n      - write: { path: sft.jsonl }\n      - export: { compression: snappy }\n`);
    const out = join(dir, 'out');
    const r = await chatmill(['run', pipeline, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const jsonl = readFileSync(join(out, 'sft.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const shardDir = join(out, 'dataset', 'data', 'sft');
    const rows = (await Promise.all(readdirSync(shardDir).map((f) => hyRows(join(shardDir, f))))).flat();
    expect(rows.map((x) => x.id)).toEqual(jsonl.map((x) => x.id));
    expect(rows.map((x) => x.messages)).toEqual(jsonl.map((x) => x.messages.map((m: { role: string; content: string }) => ({ role: m.role, content: m.content }))));
    expect(jsonl).toHaveLength(4);
  });

  it('a Parquet file whose JSON cell holds a lone surrogate: that row is invalid_unicode, the other is kept', async () => {
    const dir = tmp();
    const path = join(dir, 'in.parquet');
    // hyparquet-writer writes a JSON column as JSON.stringify text, so the surrogate is stored as its escape.
    parquetWriteFile({
      filename: path,
      columnData: [
        { name: 'id', data: ['p0', 'p1'], type: 'STRING' },
        { name: 'messages', data: [JSON.parse(turns('fine')), JSON.parse(turns('a\\ud800b'))], type: 'JSON' },
      ],
    });
    const rejects = join(dir, 'rejects.jsonl');
    const r = await chatmill(['convert', path, '-o', join(dir, 'out.jsonl'), '--rejects', rejects, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 2, kept: 1, rejected: 1, reasons: { invalid_unicode: 1 } });
    const rej = JSON.parse(readFileSync(rejects, 'utf8').trim());
    expect([rej.index, rej.reason, rej.path]).toEqual([1, 'invalid_unicode', 'messages[1].content']);
    expect(JSON.parse(readFileSync(join(dir, 'out.jsonl'), 'utf8')).id).toBe('p0');
  });

  it('a value the reader built (raw = JSON.stringify of it, as readers that build values write it) is checked through its raw text', async () => {
    const row = { id: 'p1', messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'a\ud800b' }] };
    const raw = JSON.stringify(row); // what a reader's raw holds: JSON.stringify escapes a lone surrogate
    expect(raw).toContain('\\ud800');
    const outcomes = [];
    const input = (async function* () {
      yield keep({ source: 'x.parquet', index: 0 }, JSON.parse(raw) as unknown, raw);
      yield keep({ source: 'x.parquet', index: 1 }, { id: 'p2', messages: [{ role: 'user', content: '😀' }] }, JSON.stringify({ id: 'p2', messages: [{ role: 'user', content: '😀' }] }));
    })();
    for await (const o of parseStage().run(input, { warn() {}, noteFormat() {} })) outcomes.push(o);
    expect(outcomes.map((o) => [o.kind, o.kind === 'reject' ? o.reason : '', o.kind === 'reject' ? o.path : ''])).toEqual([
      ['reject', 'invalid_unicode', 'messages[1].content'],
      ['keep', '', ''],
    ]);
  });
});
