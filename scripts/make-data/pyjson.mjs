// Two textual encodings that real Hermes data uses besides compact JSON: Python's json.dumps
// default spacing ({"a": 1, "b": 2}) and Python's repr of a dict ({'a': 1, 'b': True, 'c': None}).

/** JSON with Python json.dumps default separators (", " and ": "), non-ASCII kept as-is. */
export function dumps(v) {
  if (Array.isArray(v)) return `[${v.map(dumps).join(', ')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${dumps(x)}`).join(', ')}}`;
  return JSON.stringify(v);
}

/** Python repr of a str: single quotes unless the text has a single quote and no double quote. */
function reprStr(s) {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
}

/** Python repr of JSON-like data: True/False/None, single-quoted strings. */
export function pyrepr(v) {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return reprStr(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (Array.isArray(v)) return `[${v.map(pyrepr).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${reprStr(k)}: ${pyrepr(x)}`).join(', ')}}`;
}
