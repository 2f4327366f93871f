/**
 * JSON mode: Hermes' JSON-mode prompt puts the schema in `<schema>…</schema>`; every assistant answer must parse
 * and validate (ajv, draft 2020-12 by default, draft-07 when `$schema` says so).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';
import { checkJsonMode } from '../../src/checks/json-mode.js';
import { conv } from './helpers.js';

const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 }, tags: { type: 'array', items: { enum: ['a', 'b'] } } }, required: ['name', 'age'], additionalProperties: false };
const system = (s: unknown) => ({ role: 'system', content: `You are a helpful assistant that answers in JSON. Here's the json schema you must adhere to:\n<schema>\n${typeof s === 'string' ? s : JSON.stringify(s)}\n</schema>` });
const record = (answer: string, s: unknown = schema) => conv([system(s), { role: 'user', content: 'Ada, 36' }, { role: 'assistant', content: answer }]);

describe('json_mode', () => {
  it('passes an answer that fits, and leaves records without a schema unchecked', () => {
    expect(checkJsonMode(record('{"name": "Ada", "age": 36, "tags": ["a"]}'))).toEqual({ ok: true, checked: true });
    expect(checkJsonMode(conv([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'not json' }]))).toEqual({ ok: true, checked: false });
  });

  it.each([
    ['not JSON at all', 'Sure! Here it is: {"name": "Ada"}', 'json_mode_invalid_json', 'messages[2].content'],
    ['a fenced block is not a JSON answer', '```json\n{"name": "Ada", "age": 36}\n```', 'json_mode_invalid_json', 'messages[2].content'],
    ['a missing required property', '{"name": "Ada"}', 'json_mode_schema_violation', 'messages[2].content#/age'],
    ['a wrong type', '{"name": "Ada", "age": "36"}', 'json_mode_schema_violation', 'messages[2].content#/age'],
    ['below the minimum', '{"name": "Ada", "age": -1}', 'json_mode_schema_violation', 'messages[2].content#/age'],
    ['outside the enum, deep', '{"name": "Ada", "age": 3, "tags": ["a", "z"]}', 'json_mode_schema_violation', 'messages[2].content#/tags/1'],
    ['an unknown property', '{"name": "Ada", "age": 3, "email": "a@b"}', 'json_mode_schema_violation', 'messages[2].content#/email'],
  ])('%s', (_what, answer, reason, path) => {
    expect(checkJsonMode(record(answer))).toMatchObject({ ok: false, reason, path });
  });

  it('a schema that does not parse or does not compile is json_mode_invalid_schema', () => {
    expect(checkJsonMode(record('{}', '{"type": "object",'))).toMatchObject({ ok: false, reason: 'json_mode_invalid_schema', path: 'messages[0].content' });
    expect(checkJsonMode(record('{}', { type: 'objekt' }))).toMatchObject({ ok: false, reason: 'json_mode_invalid_schema' });
    const open = conv([{ role: 'system', content: 'Answer in JSON. <schema>{"type": "object"}' }, { role: 'user', content: 'x' }, { role: 'assistant', content: '{}' }]);
    expect(checkJsonMode(open)).toMatchObject({ ok: false, reason: 'json_mode_invalid_schema' });
  });

  it('reads draft-07 and 2020-12 by their own rules (tuple items)', () => {
    // `items` as a list is draft-07's tuple form; 2020-12 spells it prefixItems and rejects the list form.
    const d7 = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'array', items: [{ type: 'string' }, { type: 'integer' }] };
    expect(checkJsonMode(record('["a", 1]', d7))).toEqual({ ok: true, checked: true });
    expect(checkJsonMode(record('["a", "b"]', d7))).toMatchObject({ ok: false, reason: 'json_mode_schema_violation', path: 'messages[2].content#/1' });
    const d2020 = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] };
    expect(checkJsonMode(record('["a", "b"]', d2020))).toMatchObject({ ok: false, reason: 'json_mode_schema_violation', path: 'messages[2].content#/1' });
    expect(checkJsonMode(record('["a", 1]', { ...d7, $schema: 'https://json-schema.org/draft/2020-12/schema' }))).toMatchObject({ ok: false, reason: 'json_mode_invalid_schema' });
  });

  it('takes the schema from meta.json_schema (object or text) or a named field, before the system prompt', () => {
    const plain = (meta: Record<string, unknown>) => conv([{ role: 'user', content: 'Ada' }, { role: 'assistant', content: '{"name": "Ada"}' }], { meta });
    expect(checkJsonMode(plain({ json_schema: schema }))).toMatchObject({ ok: false, reason: 'json_mode_schema_violation', path: 'messages[1].content#/age' });
    expect(checkJsonMode(plain({ json_schema: JSON.stringify({ type: 'object', required: ['name'] }) }))).toEqual({ ok: true, checked: true });
    expect(checkJsonMode(plain({ my_schema: schema }), { schemaField: 'my_schema' })).toMatchObject({ ok: false, reason: 'json_mode_schema_violation' });
    expect(checkJsonMode(plain({ my_schema: schema }))).toEqual({ ok: true, checked: false });
  });

  it('checks every assistant answer, and skips turns that call a tool', () => {
    const c = conv([system(schema), { role: 'user', content: 'a' }, { role: 'assistant', content: '{"name": "A", "age": 1}' }, { role: 'user', content: 'b' }, { role: 'assistant', content: '{"name": "B"}' }]);
    expect(checkJsonMode(c)).toMatchObject({ ok: false, path: 'messages[4].content#/age' });
    const tool = conv([system(schema), { role: 'user', content: 'a' }, { role: 'assistant', content: '<tool_call>\n{"name": "f", "arguments": {}}\n</tool_call>' }, { role: 'tool', content: 'ok' }, { role: 'assistant', content: '{"name": "A", "age": 1}' }]);
    expect(checkJsonMode(tool)).toEqual({ ok: true, checked: true });
  });
});

describe('validate --json-mode', () => {
  it('rejects the broken answers with their pointer, and leaves the check off without the flag', async () => {
    const dir = tmp();
    const path = join(dir, 'jm.jsonl');
    const line = (answer: string, meta: object = {}) => JSON.stringify({ messages: [system(schema), { role: 'user', content: 'Ada, 36' }, { role: 'assistant', content: answer }], ...meta });
    writeFileSync(path, [line('{"name": "Ada", "age": 36}'), line('{"name": "Ada", "age": "36"}'), line('Here: {}'), JSON.stringify({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: '{"a": 1}' }], json_schema: { required: ['b'] } })].join('\n') + '\n');
    const rejects = join(dir, 'rejects.jsonl');
    const on = await chatmill(['validate', path, '--json-mode', '--json', '--rejects', rejects]);
    expect(JSON.parse(on.stdout)).toMatchObject({ read: 4, kept: 1, rejected: 3, reasons: { json_mode_schema_violation: 2, json_mode_invalid_json: 1 } });
    expect(readFileSync(rejects, 'utf8').trim().split('\n').map((l) => JSON.parse(l).path)).toEqual(['messages[2].content#/age', 'messages[2].content', 'messages[1].content#/b']);
    expect(on.code).toBe(1);
    const off = await chatmill(['validate', path, '--json']);
    expect(JSON.parse(off.stdout)).toMatchObject({ read: 4, kept: 4 });
  });
});
