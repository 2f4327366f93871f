import type { Conversation } from '../../schemas/chatml.js';
import type { Stage } from '../types.js';
import { keep, reject } from '../types.js';
import { mapStage } from '../stage.js';
import { compileSchema, firstFailure, type Compiled } from './json-schema.js';
import { withJsonSchemaTypeNames } from './type-names.js';
import { readToolTraffic } from './tool-calls.js';

/**
 * tool_arguments: each tool call's arguments must fit the `parameters` JSON Schema of the tool it names
 * (`tool_arguments_invalid`, with the JSON pointer of the first failure: a missing required argument, a wrong
 * type, a value outside the enum, an unknown property under additionalProperties: false). A tool result naming
 * no earlier call is `tool_response_name_mismatch`. Calls to tools the record does not declare are the validate
 * stage's business (`tool_not_in_tools`); a tool without `parameters` accepts any arguments.
 */
export type ToolArgumentsResult = { ok: true } | { ok: false; reason: string; message: string; path: string };

export function checkToolArguments(c: Conversation): ToolArgumentsResult {
  const { calls, results } = readToolTraffic(c);
  if (!calls.length && !results.length) return { ok: true };
  const schemas = new Map<string, { compiled: Compiled; at: string } | null>();
  const schemaFor = (name: string) => {
    if (schemas.has(name)) return schemas.get(name)!;
    const i = c.tools?.findIndex((t) => t.function.name === name) ?? -1;
    const params = i >= 0 ? c.tools![i].function.parameters : undefined;
    const entry = params === undefined || params === null ? null : { compiled: compileSchema(withJsonSchemaTypeNames(params)), at: `tools[${i}].function.parameters` };
    schemas.set(name, entry);
    return entry;
  };
  const called = new Set<string>();
  let r = 0;
  for (const call of calls) {
    // Results are checked against the calls made before them, in turn order.
    for (; r < results.length && results[r].turn < call.turn; r++) {
      const mismatch = nameMismatch(results[r], called);
      if (mismatch) return mismatch;
    }
    called.add(call.name);
    if (call.arguments === undefined) continue;
    const s = schemaFor(call.name);
    if (!s) continue;
    if (!s.compiled.ok) return { ok: false, reason: 'invalid_tools', message: `the parameters of tool ${JSON.stringify(call.name)} are not a JSON Schema ajv can compile: ${s.compiled.message}`, path: s.at };
    const failure = firstFailure(s.compiled.validate, call.arguments);
    if (failure) {
      return { ok: false, reason: 'tool_arguments_invalid', message: `arguments of ${JSON.stringify(call.name)} break its parameters schema at ${failure.pointer || '/'}: ${failure.message}`, path: `${call.at}#${failure.pointer}` };
    }
  }
  for (; r < results.length; r++) {
    const mismatch = nameMismatch(results[r], called);
    if (mismatch) return mismatch;
  }
  return { ok: true };
}

function nameMismatch(result: { name: string | undefined; at: string }, called: Set<string>): ToolArgumentsResult | undefined {
  if (result.name === undefined || called.has(result.name)) return undefined;
  const before = called.size ? `the calls before it name ${[...called].map((n) => JSON.stringify(n)).join(', ')}` : 'no call comes before it';
  return { ok: false, reason: 'tool_response_name_mismatch', message: `a tool result names ${JSON.stringify(result.name)}, but ${before}`, path: result.at };
}

export function toolArgumentsStage<T extends Conversation>(): Stage<T, T> {
  return mapStage<T, T>('tool_arguments', (item) => {
    const r = checkToolArguments(item.value);
    if (!r.ok) return reject(item.ref, r.reason, r.message, item.raw, r.path);
    return keep(item.ref, item.value, item.raw);
  });
}
