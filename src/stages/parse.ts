import type { Stage } from '../types.js';
import { keep, reject } from '../types.js';
import { mapStage } from '../stage.js';
import { isObject } from '../formats/problem.js';
import { DEFAULT_LIMITS, type ReadLimits } from '../read/limits.js';
import { inexactNumbers, NUMBER_TO_CHECK, scanJsonText, SURROGATE_ESCAPE, TOO_DEEP } from '../validate/json-text.js';
import { firstIllFormedString, isWellFormed } from '../validate/json-walk.js';
import { parseLocatingNumbers } from '../validate/exact-numbers.js';

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
 * Raw record text → a JSON object. Rejects: `not_json`, `nesting_too_deep`, `not_object`,
 * `invalid_unicode` (a lone surrogate in a key or string), `invalid_number` (a number a double cannot
 * hold: non-finite, or an integer that would lose digits). A too-big integer `id` becomes its digits.
 * Records whose value the reader already built (Parquet rows) get the same depth and Unicode checks on
 * their `raw`, which is JSON.stringify output.
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
    // Strict UTF-8 decoding keeps lone surrogates out of the text itself, so one can only come from an
    // escape; the isWellFormed guard covers text that was never UTF-8 (it is native and cheap).
    if (flags & SURROGATE_ESCAPE || !isWellFormed(raw)) {
      const path = firstIllFormedString(record);
      if (path !== undefined) {
        const where = path || 'the record';
        return reject(item.ref, 'invalid_unicode', `${where} holds a lone surrogate (an unpaired \\uD800-\\uDFFF escape): not valid Unicode, it cannot be written as UTF-8`, raw, path);
      }
    }
    // A reader-built value (Parquet) has no number text to check: its raw is JSON.stringify of the value.
    if (!given && flags & NUMBER_TO_CHECK) {
      const tokens = inexactNumbers(raw);
      if (tokens.length) {
        const { value: marked, landed } = parseLocatingNumbers(raw, tokens);
        for (const { token, path, container, key } of landed) {
          if (!token.nonFinite && container === marked && key === ID_KEY) {
            // An id is a name, not a quantity: keep the digits as written.
            (marked as Record<string, unknown>)[ID_KEY] = token.text;
            continue;
          }
          const why = token.nonFinite
            ? `${shown(token.text)} is out of range for a double (it would become Infinity)`
            : `${shown(token.text)} cannot be kept exactly (an integer beyond ±(2^53-1) loses digits as a double; write it as a string)`;
          return reject(item.ref, 'invalid_number', `${path}: ${why}`, raw, path);
        }
        record = marked as Record<string, unknown>;
      }
    }
    return keep(item.ref, record, raw);
  });
}
