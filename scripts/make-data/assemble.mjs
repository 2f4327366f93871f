// Places good records, deliberate bad records and exact duplicates into one file's record list,
// and keeps an exact tally of what went where.
import { pyrepr } from './pyjson.mjs';

const NOT_OBJECTS = ['[1,2]', '"just a string"', 'null', '42', '[{"role":"user","content":"hi"}]', 'true'];

/** Raw (unparseable) lines for JSONL files. */
export const RAW_BAD = {
  not_json_truncated: (obj, r) => { const s = JSON.stringify(obj); return s.slice(0, Math.floor(s.length * (0.4 + r.next() * 0.4))); },
  not_json_python_repr: (obj) => pyrepr({ ...obj, quality_checked: true, notes: null }),
};

/**
 * Builds the ordered list of raw record texts.
 * good: array of { text }; bad: array of { kind, text }; dupCount: number of exact duplicates.
 * Returns { records: [{ text, kind }] } where kind is 'good', a bad kind, or 'duplicate'.
 */
export function assemble(r, { good, bad, dupCount }) {
  const records = good.map((g) => ({ text: g.text, kind: 'good', warn: g.warn, conv: g.conv }));
  for (const b of bad) records.splice(r.int(1, records.length), 0, { text: b.text, kind: b.kind });
  const originals = new Set();
  for (let i = 0; i < dupCount; i++) {
    const goodIdx = records.map((x, k) => (x.kind === 'good' && !x.warn && !originals.has(x.text) ? k : -1)).filter((k) => k >= 0);
    const src = r.pick(goodIdx.slice(0, Math.max(1, goodIdx.length - 5)));
    originals.add(records[src].text);
    records.splice(r.int(src + 1, records.length), 0, { text: records[src].text, kind: 'duplicate', warn: records[src].warn });
  }
  return records;
}

export const notObject = (r) => r.pick(NOT_OBJECTS);
