import type { Stage } from '../types.js';
import { keep, reject } from '../types.js';
import { mapStage } from '../stage.js';
import { isObject } from '../formats/problem.js';
import { DEFAULT_LIMITS, type ReadLimits } from '../read/limits.js';

/**
 * True when the JSON text nests deeper than `max`. A linear scan that skips strings, run before
 * JSON.parse so a 100,000-deep record is a reject, not a stack overflow anywhere later.
 */
export function exceedsDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** Raw record text → a JSON object. Rejects: `not_json`, `nesting_too_deep`, `not_object`. */
export function parseStage(limits: ReadLimits = DEFAULT_LIMITS): Stage<unknown, Record<string, unknown>> {
  return mapStage('parse', (item) => {
    let value = item.value;
    if (value === undefined) {
      if (exceedsDepth(item.raw, limits.maxDepth)) {
        return reject(item.ref, 'nesting_too_deep', `nests deeper than ${limits.maxDepth} levels (--max-depth)`, item.raw);
      }
      try {
        value = JSON.parse(item.raw);
      } catch (e) {
        const where = item.ref.line ? `line ${item.ref.line}` : `record ${item.ref.index}`;
        return reject(item.ref, 'not_json', `${where}: ${(e as Error).message}`, item.raw);
      }
    }
    if (!isObject(value)) {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      return reject(item.ref, 'not_object', `a record must be a JSON object, got ${kind}`, item.raw);
    }
    return keep(item.ref, value, item.raw);
  });
}
