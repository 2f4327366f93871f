import type { Stage } from '../types.js';
import { keep, reject } from '../types.js';
import { mapStage } from '../stage.js';
import { isObject } from '../formats/problem.js';
import { DEFAULT_LIMITS, type ReadLimits } from '../read/limits.js';
import { inexactNumbers, NUMBER_TO_CHECK, scanJsonText, SURROGATE_ESCAPE, TOO_DEEP } from '../validate/json-text.js';
import { firstIllFormedString } from '../validate/json-walk.js';
import { parseLocatingNumbers } from '../validate/exact-numbers.js';
import { topLevelNumberText } from '../validate/top-level-number.js';

/**
 * True when the JSON text nests deeper than `max`. A linear scan that skips strings, run before
 * JSON.parse so a 100,000-deep record is a reject, not a stack overflow anywhere later.
 */
export function exceedsDepth(text: string, max: number): boolean {
  return (scanJsonText(text, max) & TOO_DEEP) !== 0;
}

/** The top-level key whose too-big integer is kept as its digits (a string id) instead of rejected. */
const ID_KEY = 'id';

const shown = (token: string): string => (token.length > 40 ? `${token.slice(0, 40)}... (${token.length} characters)` : token);

/**
 * The record re-read from `raw` with a too-big integer id as its digits, or the first number a double
 * cannot hold; undefined when every number is fine. `raw` is always the JSON text of the record's value,
 * also when a reader built the value: Parquet's raw is JSON.stringify of it (whose numbers always pass),
 * a single-record .json file's raw is the file text. A raw that does not parse (a reader's preview) is
 * left alone when the value was given.
 */
function exactNumbers(raw: string, given: boolean): { record: Record<string, unknown>; reject?: undefined } | { reject: { path: string; message: string } } | undefined {
  const tokens = inexactNumbers(raw);
  if (!tokens.length) return undefined;
  let located;
  try {
    located = parseLocatingNumbers(raw, tokens);
  } catch (e) {
    if (given) return undefined;
    throw e;
  }
  const { value: marked, landed } = located;
  if (!isObject(marked)) return undefined;
  for (const { token, path, container, key } of landed) {
    if (!token.nonFinite && container === marked && key === ID_KEY) {
      // An id is a name, not a quantity: keep the digits as written.
      marked[ID_KEY] = token.text;
      continue;
    }
    const why = token.nonFinite
      ? `${shown(token.text)} is out of range for a double (it would become Infinity)`
      : token.underflow
        ? `${shown(token.text)} is too small for a double (it would become 0)`
      : `${shown(token.text)} cannot be kept exactly (an integer beyond ±(2^53-1) loses digits as a double; write it as a string)`;
    return { reject: { path, message: `${path}: ${why}` } };
  }
  return { record: marked };
}

/**
 * Raw record text → a JSON object. Rejects: `not_json`, `nesting_too_deep`, `not_object`,
 * `invalid_unicode` (a lone surrogate in a key or string), `invalid_number` (a number a double cannot
 * hold: non-finite, or an integer that would lose digits). A too-big integer `id` becomes its digits.
 * Records whose value the reader already built (Parquet rows, .json object files) get the same checks
 * through their `raw`, which is the value's JSON text.
 */
export function parseStage(limits: ReadLimits = DEFAULT_LIMITS): Stage<unknown, Record<string, unknown>> {
  return mapStage('parse', (item) => {
    const raw = item.raw;
    const given = item.value !== undefined;
    const flags = scanJsonText(raw, limits.maxDepth);
    if (flags & TOO_DEEP) {
      return reject(item.ref, 'nesting_too_deep', `nests deeper than ${limits.maxDepth} levels (--max-depth)`, raw);
    }
    let value = item.value;
    if (!given) {
      try {
        value = JSON.parse(raw);
      } catch (e) {
        const where = item.ref.line ? `line ${item.ref.line}` : `record ${item.ref.index}`;
        return reject(item.ref, 'not_json', `${where}: ${(e as Error).message}`, raw);
      }
    }
    if (!isObject(value)) {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      return reject(item.ref, 'not_object', `a record must be a JSON object, got ${kind}`, raw);
    }
    let record = value;
    // Readers decode strictly (invalid UTF-8 is an `invalid_utf8` reject) and Parquet's raw is JSON.stringify
    // output, which escapes a lone surrogate: so one can only be present through a \uD8xx-style escape.
    if (flags & SURROGATE_ESCAPE) {
      const path = firstIllFormedString(record);
      if (path !== undefined) {
        const where = path || 'the record';
        return reject(item.ref, 'invalid_unicode', `${where} holds a lone surrogate (an unpaired \\uD800-\\uDFFF escape): not valid Unicode, it cannot be written as UTF-8`, raw, path);
      }
    }
    if (flags & NUMBER_TO_CHECK) {
      const numbers = exactNumbers(raw, given);
      if (numbers) {
        if (numbers.reject) return reject(item.ref, 'invalid_number', numbers.reject.message, raw, numbers.reject.path);
        record = numbers.record;
      }
    }
    if (typeof record[ID_KEY] === 'number') {
      // Any numeric id keeps the digits the file wrote (1.50 stays "1.50"); too-big integers were handled above.
      const digits = topLevelNumberText(raw, ID_KEY);
      if (digits !== undefined) record = { ...record, [ID_KEY]: digits };
    }
    return keep(item.ref, record, raw);
  });
}
