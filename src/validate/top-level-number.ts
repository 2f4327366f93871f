/**
 * The text of a number as written for one top-level key, e.g. the `1.50` of `{"id": 1.50, ...}`. A numeric
 * id is a name, not a quantity: `1.50`, `-0` and `1e-400` must stay what the file says, not what a double
 * prints ("1.5", "0", "0"). Called only when the parsed record's value for that key is a number, so the
 * common record never pays for it. Iterative (no recursion over untrusted text); the last occurrence of a
 * duplicated key wins, as in JSON.parse.
 */
export function topLevelNumberText(text: string, key: string): string | undefined {
  let depth = 0;
  let found: string | undefined;
  let pendingKey: string | undefined; // a string just read at depth 1 in key position
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      const start = i;
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
      if (depth === 1 && expectKey) {
        try {
          pendingKey = JSON.parse(text.slice(start, i + 1)) as string;
        } catch {
          return undefined;
        }
        expectKey = false;
      }
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth === 1 && c === 123) expectKey = true;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
    } else if (c === 44 /* , */ && depth === 1) {
      expectKey = true;
      pendingKey = undefined;
    } else if (c === 58 /* : */ && depth === 1 && pendingKey !== undefined) {
      let j = i + 1;
      while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 10 || text.charCodeAt(j) === 13)) j++;
      const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(j, j + 400));
      if (pendingKey === key) found = m ? m[0] : undefined;
      pendingKey = undefined;
    }
  }
  return found;
}
