import { hermesMessages } from '../../src/chatml/hermes-text.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';

/**
 * Issue 10 item 9: numbers keep their digits. Lines are written as JSON text by hand: the point is what
 * the file says, which JSON.stringify of a JS number could not even express.
 */
const turns = (q: string) => `[{"role":"user","content":"${q}"},{"role":"assistant","content":"ok"}]`;

async function convert(lines: string[], extra: string[] = []) {
  const dir = tmp();
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, `${lines.join('\n')}\n`);
  const out = join(dir, 'out.jsonl');
  const rejects = join(dir, 'rejects.jsonl');
  const dropped = join(dir, 'dropped.jsonl');
  const r = await chatmill(['convert', input, '-o', out, '--rejects', rejects, '--dropped', dropped, '--json', ...extra]);
  const read = (p: string) => readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return { r, summary: JSON.parse(r.stdout), kept: read(out), rejects: read(rejects), dropped: read(dropped), out };
}

describe('numbers keep their digits (item 9)', () => {
  it('a numeric id keeps the digits written in the file, so two ids a double cannot tell apart stay apart', async () => {
    const { summary, kept } = await convert([
      `{"id": 9007199254740993, "messages": ${turns('a')}}`,
      `{"id": 9007199254740992, "messages": ${turns('b')}}`,
      `{"id": -123456789012345678901234567890, "messages": ${turns('c')}}`,
      `{"id": 42, "messages": ${turns('d')}}`,
    ]);
    expect(summary).toMatchObject({ read: 4, kept: 4, rejected: 0 });
    expect(kept.map((k) => k.id)).toEqual(['9007199254740993', '9007199254740992', '-123456789012345678901234567890', '42']);
  });

  it('a .json file holding one record (read whole by its reader) gets the same checks through its text', async () => {
    const dir = tmp();
    const msgs = turns('a');
    writeFileSync(join(dir, 'one.json'), `{"id": 9007199254740993, "messages": ${msgs}}`);
    writeFileSync(join(dir, 'inf.json'), `{"id": "x", "messages": ${msgs}, "score": 1e999}`);
    const out = join(dir, 'out.jsonl');
    const rejects = join(dir, 'rejects.jsonl');
    const r = await chatmill(['convert', join(dir, 'one.json'), join(dir, 'inf.json'), '-o', out, '--rejects', rejects, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 2, kept: 1, rejected: 1, reasons: { invalid_number: 1 } });
    expect(JSON.parse(readFileSync(out, 'utf8')).id).toBe('9007199254740993');
    expect(JSON.parse(readFileSync(rejects, 'utf8'))).toMatchObject({ reason: 'invalid_number', path: 'score' });
  });

  it('a duplicate names the exact id of the first record in duplicate_of', async () => {
    const { dropped } = await convert([`{"id": 9007199254740993, "messages": ${turns('a')}}`, `{"id": 1, "messages": ${turns('a')}}`], ['--dedup']);
    expect(dropped.map((d) => [d.index, d.duplicate_of])).toEqual([[1, '9007199254740993']]);
  });

  it('non-finite numbers and integers a double would round are invalid_number with their path; fractions are left alone', async () => {
    const { summary, kept, rejects } = await convert([
      `{"id": "inf", "messages": ${turns('a')}, "score": 1e999}`,
      `{"id": "neg", "messages": ${turns('b')}, "meta": {"xs": [1, -1e400]}}`,
      `{"id": "big", "messages": ${turns('c')}, "meta": {"n": 123456789012345678901234567890}}`,
      `{"id": "tool", "messages": ${turns('d')}, "tools": [{"type": "function", "function": {"name": "f", "parameters": {"maximum": 18446744073709551615}}}]}`,
      `{"id": 1e999, "messages": ${turns('e')}}`,
      `{"id": "fine", "messages": ${turns('f')}, "meta": {"p": 0.1000000000000000055, "lr": 1e-5, "max": 9007199254740991, "big": 1e300, "text": "1e999 9007199254740993"}}`,
    ]);
    expect(summary).toMatchObject({ read: 6, kept: 1, rejected: 5, reasons: { invalid_number: 5 } });
    expect(rejects.map((x) => [x.index, x.stage, x.reason, x.path])).toEqual([
      [0, 'parse', 'invalid_number', 'score'],
      [1, 'parse', 'invalid_number', 'meta.xs[1]'],
      [2, 'parse', 'invalid_number', 'meta.n'],
      [3, 'parse', 'invalid_number', 'tools[0].function.parameters.maximum'],
      [4, 'parse', 'invalid_number', 'id'],
    ]);
    expect(rejects[0].message).toContain('1e999');
    expect(rejects[2].message).toMatch(/123456789012345678901234567890 cannot be kept exactly/);
    // Python's json reads these fractions as the same doubles, so they are kept as numbers.
    expect(kept[0].meta).toEqual({ meta: { p: 0.1, lr: 0.00001, max: 9007199254740991, big: 1e300, text: '1e999 9007199254740993' } });
  });

  it('numbers inside JSON text that chatmill re-serializes (tool-call arguments, tool results, tool_call blocks, a tools string) are checked too', async () => {
    const tools = '[{"type":"function","function":{"name":"f","parameters":{}}}]';
    const call = (args: string, result: string) =>
      `[{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":${JSON.stringify(args)}}}]},` +
      `{"role":"tool","tool_call_id":"c1","content":${JSON.stringify(result)}},{"role":"assistant","content":"done"}]`;
    const { summary, kept, rejects } = await convert([
      `{"id": "args", "messages": ${call('{"n": 12345678901234567890}', '{"ok": true}')}, "tools": ${tools}}`,
      `{"id": "result", "messages": ${call('{"n": 1}', '{"x": 1e999}')}, "tools": ${tools}}`,
      `{"id": "hermes", "messages": [{"role":"user","content":"q"},{"role":"assistant","content":"<tool_call>\\n{'name': 'f', 'arguments': {'n': 98765432109876543210}}\\n</tool_call>"}]}`,
      `{"id": "tools", "messages": ${turns('a')}, "tools": ${JSON.stringify('[{"name": "f", "parameters": {"maximum": 1e400}}]')}}`,
      `{"id": "fine", "messages": ${call('{"n": 9007199254740991, "p": 0.30000000000000004, "s": "12345678901234567890"}', '{"v": 2.5}')}, "tools": ${tools}}`,
    ]);
    expect(summary).toMatchObject({ read: 5, kept: 1, rejected: 4, reasons: { invalid_number: 4 } });
    expect(rejects.map((x) => [x.index, x.reason, x.path])).toEqual([
      [0, 'invalid_number', 'messages[1].tool_calls.arguments'],
      [1, 'invalid_number', 'messages[2]'],
      [2, 'invalid_number', 'messages[1].content'],
      [3, 'invalid_number', 'tools'],
    ]);
    expect(rejects[0].message).toContain('12345678901234567890');
    expect(kept[0].messages[1].tool_calls[0].function.arguments).toEqual({ n: 9007199254740991, p: 0.30000000000000004, s: '12345678901234567890' });
    expect(hermesMessages(kept[0].messages)[1].content).toBe(
      '<tool_call>\n{"name": "f", "arguments": {"n": 9007199254740991, "p": 0.30000000000000004, "s": "12345678901234567890"}}\n</tool_call>',
    );
  });
});
