/**
 * Tool arguments against the tool's `parameters` schema, on hand-written cases (both shapes a record may carry
 * calls in) and on the real tool-calling files: glaive (LLaMA-Factory's demos), the OpenAI cookbook drone file, and
 * LLaMA-Factory's reasoning tool-use demo, whose schemas use Python type names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkToolArguments } from '../../src/checks/tool-arguments.js';
import { readToolTraffic } from '../../src/checks/tool-calls.js';
import { withJsonSchemaTypeNames } from '../../src/checks/type-names.js';
import { compileSchema } from '../../src/checks/json-schema.js';
import { chatmill } from '../helpers/cli.js';
import { haveRealdata, real } from '../helpers/realdata.js';
import { tmp } from '../read/helpers.js';
import { call, conv, response } from './helpers.js';

const weather = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] }, days: { type: 'integer' } }, required: ['city'], additionalProperties: false },
  },
};
const withCall = (args: unknown, result = 'get_weather') =>
  conv([{ role: 'user', content: 'Weather in Oslo?' }, { role: 'assistant', content: call('get_weather', args) }, { role: 'tool', content: response(result, { temp: -3 }) }, { role: 'assistant', content: 'It is -3 °C.' }], { tools: [weather] });

describe('tool_arguments on hand-written cases', () => {
  it('passes arguments that fit', () => {
    expect(checkToolArguments(withCall({ city: 'Oslo', unit: 'celsius', days: 2 }))).toEqual({ ok: true });
  });

  it.each([
    ['a missing required argument', { unit: 'celsius' }, '#/city', /missing required property "city"/],
    ['a wrong type', { city: 'Oslo', days: 'two' }, '#/days', /must be integer/],
    ['a value not in the enum', { city: 'Oslo', unit: 'kelvin' }, '#/unit', /must be one of \["celsius","fahrenheit"\]/],
    ['an unknown property under additionalProperties: false', { city: 'Oslo', country: 'NO' }, '#/country', /unknown property "country"/],
  ])('%s is tool_arguments_invalid with its pointer', (_what, args, pointer, message) => {
    const r = checkToolArguments(withCall(args));
    expect(r).toMatchObject({ ok: false, reason: 'tool_arguments_invalid', path: `messages[1].content(tool_call 0)${pointer}` });
    expect((r as { message: string }).message).toMatch(message);
  });

  it('a tool result whose name matches no earlier call is tool_response_name_mismatch', () => {
    expect(checkToolArguments(withCall({ city: 'Oslo' }, 'get_forecast'))).toMatchObject({ ok: false, reason: 'tool_response_name_mismatch', path: 'messages[2].content' });
    // The call must come before the result: a result answering a later call is a mismatch too.
    const early = conv([{ role: 'user', content: 'x' }, { role: 'tool', content: response('get_weather', 1) }, { role: 'assistant', content: call('get_weather', { city: 'Oslo' }) }, { role: 'assistant', content: 'ok' }], { tools: [weather] });
    expect(checkToolArguments(early)).toMatchObject({ ok: false, reason: 'tool_response_name_mismatch', path: 'messages[1].content' });
  });

  it('reads structured tool_calls and named tool turns the same way', () => {
    const structured = (args: unknown, name = 'get_weather') =>
      conv([
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: args } }] },
        { role: 'tool', content: '{"temp": -3}', name, tool_call_id: 'c1' },
        { role: 'assistant', content: 'It is -3 °C.' },
      ], { tools: [weather] });
    expect(checkToolArguments(structured({ city: 'Oslo' }))).toEqual({ ok: true });
    expect(checkToolArguments(structured('{"city": "Oslo", "unit": "K"}'))).toMatchObject({ ok: false, reason: 'tool_arguments_invalid', path: 'messages[1].tool_calls[0].function.arguments#/unit' });
    expect(checkToolArguments(structured({ city: 'Oslo' }, 'other'))).toMatchObject({ ok: false, reason: 'tool_response_name_mismatch', path: 'messages[2].name' });
    const traffic = readToolTraffic(structured({ city: 'Oslo' }));
    expect(traffic.calls.map((c) => [c.turn, c.name, c.arguments])).toEqual([[1, 'get_weather', { city: 'Oslo' }]]);
    expect(readToolTraffic(withCall({ city: 'Oslo' })).calls.map((c) => [c.turn, c.name, c.arguments])).toEqual([[1, 'get_weather', { city: 'Oslo' }]]);
  });

  it('parallel calls: the second call is checked too', () => {
    const c = conv([{ role: 'user', content: 'x' }, { role: 'assistant', content: `${call('get_weather', { city: 'Oslo' })}\n${call('get_weather', { town: 'Bergen' })}` }, { role: 'assistant', content: 'ok' }], { tools: [weather] });
    expect(checkToolArguments(c)).toMatchObject({ ok: false, reason: 'tool_arguments_invalid', path: 'messages[1].content(tool_call 1)#/city' });
  });

  it('parameters ajv cannot compile are invalid_tools; a tool without parameters takes anything', () => {
    const bad = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'strin' } } } } };
    expect(checkToolArguments({ ...withCall({ city: 'Oslo' }), tools: [bad] })).toMatchObject({ ok: false, reason: 'invalid_tools', path: 'tools[0].function.parameters' });
    const none = { type: 'function' as const, function: { name: 'get_weather' } };
    expect(checkToolArguments({ ...withCall({ anything: [1] }), tools: [none] })).toEqual({ ok: true });
  });
});

describe('non-standard type names take their JSON Schema meaning', () => {
  const fits = (schema: unknown, value: unknown) => {
    const c = compileSchema(withJsonSchemaTypeNames(schema));
    if (!c.ok) throw new Error(c.message);
    return c.validate(value);
  };
  it('dict, float, tuple, any, str/int/bool, "str, optional", List[int]', () => {
    expect(compileSchema({ type: 'dict' }).ok).toBe(false); // ajv alone refuses them
    expect(fits({ type: 'dict' }, { a: 1 })).toBe(true);
    expect(fits({ type: 'dict' }, [1])).toBe(false);
    expect(fits({ type: 'float' }, 1.5)).toBe(true);
    expect(fits({ type: 'float' }, '1.5')).toBe(false);
    expect(fits({ type: 'tuple' }, [1, 'a'])).toBe(true);
    expect(fits({ type: 'tuple' }, 'a')).toBe(false);
    expect(fits({ type: 'any' }, null)).toBe(true);
    expect(fits({ type: 'dict', properties: { n: { type: 'int' }, s: { type: 'str, optional' }, ok: { type: 'bool' } } }, { n: 1, s: 'x', ok: true })).toBe(true);
    expect(fits({ type: 'dict', properties: { n: { type: 'int' } } }, { n: 1.5 })).toBe(false);
    expect(fits({ type: 'List[int]' }, [1, 2])).toBe(true);
    expect(fits({ type: 'List[int]' }, [1, 'a'])).toBe(false);
    expect(fits({ type: ['float', 'None'] }, null)).toBe(true);
    // A property named "type" is a schema, not a type name.
    expect(fits({ type: 'dict', properties: { type: { type: 'str' } } }, { type: 3 })).toBe(false);
  });
});

const REAL_FILES = [
  // file, records, tool_arguments_invalid (index, pointer), other rejects without the checks
  ['llamafactory/glaive_toolcall_en_demo.json', 300, [[259, '/calories_per_item']], { refusal: 12 }],
  ['llamafactory/glaive_toolcall_zh_demo.json', 300, [[5, '/dimensions/radius'], [21, '/keywords'], [102, '/cuisine'], [108, '/dimensions/radius'], [144, '/keywords'], [239, '/cuisine']], {}],
  ['openai-cookbook/drone_training.jsonl', 103, [], {}],
  ['llamafactory/reason_tool_use_demo_50.jsonl', 50, [], {}],
] as const;

describe.skipIf(!haveRealdata)('on the real tool-calling files', () => {
  it.each(REAL_FILES)('%s: finds exactly the arguments that break their schema', async (file, records, invalid, warnings) => {
    const dir = tmp();
    const rejects = join(dir, 'rejects.jsonl');
    const plain = JSON.parse((await chatmill(['validate', real(file), '--json'])).stdout);
    const r = await chatmill(['validate', real(file), '--tool-arguments', '--refusals', '--json', '--rejects', rejects]);
    const s = JSON.parse(r.stdout);
    expect(s.read).toBe(records);
    // The checks add exactly these rejects to what validate found without them.
    expect(s.rejected - plain.rejected).toBe(invalid.length);
    const found = readFileSync(rejects, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((x) => x.reason === 'tool_arguments_invalid');
    expect(found.map((x) => [x.index, x.path.split('#')[1]])).toEqual(invalid);
    expect(s.reasons.tool_response_name_mismatch).toBeUndefined();
    for (const [k, n] of Object.entries(warnings)) expect(s.warnings[k]).toBe(n);
  });

  it('the reasoning tool-use demo passes only because its Python type names are mapped', () => {
    const params = readFileSync(real('llamafactory/reason_tool_use_demo_50.jsonl'), 'utf8').split('\n').filter(Boolean)
      .flatMap((l) => JSON.parse(JSON.parse(l).tools) as { function?: { parameters?: unknown }; parameters?: unknown }[])
      .map((t) => t.function?.parameters ?? t.parameters);
    const raw = params.filter((p) => !compileSchema(p).ok).length;
    const mapped = params.filter((p) => !compileSchema(withJsonSchemaTypeNames(p)).ok).length;
    expect({ tools: params.length, rawFail: raw > 0, mappedFail: mapped }).toEqual({ tools: params.length, rawFail: true, mappedFail: 0 });
  });
});
