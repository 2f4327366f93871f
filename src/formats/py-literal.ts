/**
 * Parse a Python literal (dict, list, tuple, str, int, float, True, False, None) into a JS value.
 * The Hermes function-calling README shows tool calls as single-quoted Python dicts
 * (`{'name': 'f', 'arguments': {'x': 1}}`); this lets us accept that form and re-emit JSON.
 * Returns undefined when the text is not a Python literal. Objects get a null prototype while
 * parsing and are rebuilt as plain data, so keys like `__proto__` stay ordinary keys.
 */
export function parsePyLiteral(text: string, maxDepth = 200): unknown {
  return parsePyLiteralNoting(text, maxDepth).value;
}

/** parsePyLiteral, also naming the first number a double would change (non-finite, or an int that loses digits). */
export function parsePyLiteralNoting(text: string, maxDepth = 200): { value: unknown; inexact?: string } {
  const p = new PyParser(text, maxDepth);
  try {
    const value = p.value(0);
    p.ws();
    return p.pos === text.length ? { value, inexact: p.inexact } : { value: undefined };
  } catch {
    return { value: undefined };
  }
}

class PyParser {
  pos = 0;
  inexact: string | undefined;
  constructor(
    private readonly s: string,
    private readonly maxDepth: number,
  ) {}

  ws(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos])) this.pos++;
  }

  fail(): never {
    throw new Error(`bad python literal at ${this.pos}`);
  }

  value(depth: number): unknown {
    if (depth > this.maxDepth) this.fail();
    this.ws();
    const c = this.s[this.pos];
    if (c === '{') return this.dict(depth);
    if (c === '[' || c === '(') return this.list(depth, c === '[' ? ']' : ')');
    if (c === "'" || c === '"') return this.str();
    const word = /^(True|False|None|-?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+))/.exec(this.s.slice(this.pos, this.pos + 64));
    if (!word) this.fail();
    this.pos += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    const n = Number(word[0]);
    const longInteger = /^-?\d{16,}$/.test(word[0]);
    if (!Number.isFinite(n) || (longInteger && JSON.stringify(n) !== word[0])) this.inexact ??= word[0];
    return n;
  }

  dict(depth: number): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.ws();
      if (this.s[this.pos] === '}') {
        this.pos++;
        return out;
      }
      const key = this.value(depth + 1);
      if (typeof key !== 'string' && typeof key !== 'number') this.fail();
      this.ws();
      if (this.s[this.pos++] !== ':') this.fail();
      Object.defineProperty(out, String(key), { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
      this.ws();
      if (this.s[this.pos] === ',') this.pos++;
      else if (this.s[this.pos] !== '}') this.fail();
    }
  }

  list(depth: number, close: string): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.pos] === close) {
        this.pos++;
        return out;
      }
      out.push(this.value(depth + 1));
      this.ws();
      if (this.s[this.pos] === ',') this.pos++;
      else if (this.s[this.pos] !== close) this.fail();
    }
  }

  str(): string {
    const quote = this.s[this.pos++];
    let out = '';
    for (;;) {
      if (this.pos >= this.s.length) this.fail();
      const c = this.s[this.pos++];
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.pos++];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', b: '\b', f: '\f' };
      if (e in simple) out += simple[e];
      else if (e === 'u' || e === 'x') {
        const len = e === 'u' ? 4 : 2;
        const hex = this.s.slice(this.pos, this.pos + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.fail();
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += len;
      } else out += `\\${e}`;
    }
  }
}
