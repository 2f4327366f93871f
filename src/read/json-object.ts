import type { Outcome } from '../types.js';
import { keep, reject } from '../types.js';
import { isObject } from '../formats/problem.js';
import { preview, strictUtf8 } from './limits.js';

/** Keys that mark a top-level object as one record rather than a wrapper around a record list. */
const RECORD_KEYS = ['messages', 'conversations', 'instruction', 'text', 'chosen', 'rejected', 'prompt', 'completions', 'chosen_messages'];

/**
 * A `.json` file whose top level is an object: either a single record (it has a record key such as
 * `messages`), or an object holding the record list (`{"data": [...]}`: the first array-valued key).
 * Returns undefined when the text is not one JSON document, so the caller can read it as JSONL instead.
 */
export function jsonObjectRecords(source: string, bytes: Buffer): Generator<Outcome<unknown>> | undefined {
  let text: string;
  let doc: unknown;
  try {
    text = strictUtf8.decode(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes);
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(doc)) return undefined;
  return records(source, doc, text);
}

function* records(source: string, doc: Record<string, unknown>, text: string): Generator<Outcome<unknown>> {
  if (RECORD_KEYS.some((k) => Object.hasOwn(doc, k))) {
    yield keep({ source, index: 0, line: 1 }, doc, text);
    return;
  }
  // A wrapper holds a list of records (objects); a list of numbers (input_ids) is part of one record.
  const listKey = Object.keys(doc).find((k) => Array.isArray(doc[k]) && (doc[k] as unknown[]).some((x) => isObject(x)));
  if (listKey === undefined) {
    yield keep({ source, index: 0, line: 1 }, doc, text);
    return;
  }
  const list = doc[listKey] as unknown[];
  for (let i = 0; i < list.length; i++) {
    const raw = JSON.stringify(list[i]) ?? 'null';
    yield list[i] === undefined
      ? reject({ source, index: i }, 'not_object', `element ${i} of "${listKey}" is empty`, preview(Buffer.from(raw)))
      : keep({ source, index: i }, list[i], raw);
  }
}
