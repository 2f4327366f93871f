/**
 * Issue 10 item 9 (found again by the fuzzer): an id that is a number keeps the digits written in the file,
 * whatever its form: a fraction, an exponent, a negative zero, a value a double rounds to 0. Only the
 * top-level `id` is an id; the same key inside another object, or inside a string, is data.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';

const turns = (q: string) => `"messages":[{"role":"user","content":"${q}"},{"role":"assistant","content":"yo"}]`;

describe('numeric ids keep their written digits', () => {
  it('through convert, for every number form, with the last duplicate key winning as in JSON.parse', async () => {
    const dir = tmp();
    const input = join(dir, 'ids.jsonl');
    const lines = [
      `{${turns('a')},"id":1.50}`,
      `{"id":-0,${turns('b')}}`,
      `{"id":1e-400,"x":{"id":5},${turns('c')}}`,
      `{"id": 7, ${turns('d')}, "id" : 1.0E+2}`,
      `{"\\u0069d": 2.50, ${turns('e')}}`,
      `{"id":"s",${turns('f {\\"id\\": 3.0}')}}`,
      `{"id":12,${turns('g')}}`,
    ];
    writeFileSync(input, `${lines.join('\n')}\n`);
    const out = join(dir, 'out.jsonl');
    const r = await chatmill(['convert', input, '-o', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const ids = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l).id);
    expect(ids).toEqual(['1.50', '-0', '1e-400', '1.0E+2', '2.50', 's', '12']);
  });

  it('a non-zero number a double rounds to 0 is invalid_number; a written zero and a small but representable number are kept', async () => {
    const dir = tmp();
    const input = join(dir, 'tiny.jsonl');
    writeFileSync(input, [`{${turns('a')},"x":1e-400}`, `{${turns('b')},"x":0e-400,"y":0.0e5}`, `{${turns('c')},"x":4e-320}`, `{${turns('d')},"x":{"y":[-2.5E-999]}}`].join('\n') + '\n');
    const rejects = join(dir, 'rejects.jsonl');
    const r = await chatmill(['convert', input, '-o', join(dir, 'out.jsonl'), '--rejects', rejects, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 4, kept: 2, rejected: 2, reasons: { invalid_number: 2 } });
    const rej = readFileSync(rejects, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rej.map((x) => [x.index, x.path])).toEqual([[0, 'x'], [3, 'x.y[0]']]);
    expect(rej[0].message).toMatch(/1e-400 is too small for a double \(it would become 0\)/);
  });
});

describe('lone surrogates inside JSON that an adapter parses out of a string (found by the bench fuzz run)', () => {
  it('a tools string or tool-call arguments whose text escapes a lone surrogate are invalid_unicode, with the path', async () => {
    const dir = tmp();
    const input = join(dir, 'embedded.jsonl');
    // JSON texts whose own escapes (\ud800, \udc00) decode to lone surrogates; in the file they sit inside strings.
    const tools = '[{"type":"function","function":{"name":"f","parameters":{"type":"\\ud800object"}}}]';
    const args = '{"city":"Os\\udc00lo"}';
    const lines = [
      JSON.stringify({ tools, messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] }),
      JSON.stringify({ tools: [{ type: 'function', function: { name: 'w', parameters: {} } }], messages: [{ role: 'user', content: 'q' }, { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'w', arguments: args } }] }, { role: 'tool', tool_call_id: 'c1', content: 'ok' }, { role: 'assistant', content: 'done' }] }),
      JSON.stringify({ tools: JSON.stringify([{ type: 'function', function: { name: 'g', parameters: { type: 'object' } } }]), messages: [{ role: 'user', content: 'q \\ud800 stays text' }, { role: 'assistant', content: 'a' }] }),
    ];
    writeFileSync(input, `${lines.join('\n')}\n`);
    const rejects = join(dir, 'rejects.jsonl');
    const r = await chatmill(['convert', input, '-o', join(dir, 'out.jsonl'), '--rejects', rejects, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 3, kept: 1, rejected: 2, reasons: { invalid_unicode: 2 } });
    const rej = readFileSync(rejects, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // Tool-call arguments are data in the record (schemas/chatml.ts), so a lone surrogate in them is one in a string
    // of the record, which UTF-8 cannot carry: rejected with its path, like one in `tools`.
    expect(rej).toEqual([
      expect.objectContaining({ index: 0, reason: 'invalid_unicode', path: 'tools[0].function.parameters.type' }),
      expect.objectContaining({ index: 1, reason: 'invalid_unicode', path: 'messages[1].tool_calls[0].function.arguments.city' }),
    ]);
    const kept = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // An escaped backslash in the file is text too: the content holds the six characters \ud800.
    expect(kept[0].messages[0].content).toBe('q \\ud800 stays text');
  });
});
