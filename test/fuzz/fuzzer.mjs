/**
 * The deterministic record mutator. It takes real records (from ../shared/realdata, see seeds.mjs) and
 * damages them the way hostile or careless files do: truncation at a random byte, type flips, renamed and
 * dropped keys, `__proto__`/`constructor` keys, huge numbers, deep nesting, lone surrogates, NUL and control
 * characters, invalid UTF-8, BOMs, duplicated keys, broken tool-call arguments.
 *
 * Every mutation is chosen by the seeded PRNG, so a seed names a corpus exactly. Each mutated record comes
 * back as bytes plus what was done to it (tags), so the checks can say what must not be kept.
 */

/** Numbers that a float cannot hold (or holds only by rounding); the text is what the file says. */
export const HUGE_NUMBERS = [
  '1e999', '-1e999', '0.5e400', // not finite as a double
  '9007199254740993', '-9007199254740993', '18446744073709551617', // integers past 2^53
  '123456789012345678901234567890', '-123456789012345678901234567890',
  '1e-400', '-0', '1.00000000000000000000000001',
];
const NON_FINITE = new Set(['1e999', '-1e999', '0.5e400']);
const UNSAFE_INTEGERS = new Set(['9007199254740993', '-9007199254740993', '18446744073709551617', '123456789012345678901234567890', '-123456789012345678901234567890']);

/** Characters inside strings: JSON-escaped by the serializer, so the record stays valid JSON. */
const CONTROL_CHARS = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f', '\u0085', '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff', '\r', '\r\n'];
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', '\udc00\ud800' /* reversed pair */];
/** Byte sequences that are not UTF-8: stray continuation, overlong, encoded surrogate, past U+10FFFF, cut multibyte. */
const INVALID_UTF8 = [[0xff], [0xfe], [0x80], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe4, 0xb8], [0xc3]];
const RENAMES = {
  messages: ['message', 'Messages', 'msgs', 'conversations'], conversations: ['conversation', 'convs', 'messages'],
  role: ['Role', 'from', 'speaker', ''], content: ['Content', 'value', 'text', 'contents'], from: ['role', 'From', 'frm'],
  value: ['content', 'Value', 'val'], instruction: ['instructions', 'prompt'], output: ['outputs', 'response'],
  chosen: ['choosen', 'accepted'], rejected: ['reject', 'refused'], tools: ['functions', 'tool'], arguments: ['args', 'params'],
};
const KEY_VARIANTS = [(k) => k.toUpperCase(), (k) => ` ${k}`, (k) => `${k} `, (k) => `${k}\u0000`, (k) => `${k}_x`, () => '', (k) => k.slice(1)];

/** Marker strings replaced by raw JSON text after serializing (for numbers and nestings JSON.stringify cannot write). */
const RAW_MARK = '@@FUZZRAW';

/**
 * @typedef {{
 *   bytes: Buffer,            // one record, no newline in it
 *   tags: string[],           // what was done, in order
 *   structural: boolean,      // brackets or quotes may be unbalanced: unsafe inside a JSON array
 *   rawNul: boolean,          // holds a raw 0x00 byte (the writers keep those out of a file's first 8 KB)
 *   big: Array<{ at: 'id' | 'meta', text: string }>,   // unsafe integers we placed, to check digits survive
 * }} Mutated
 */

/**
 * Mutate one real record. `opts.jsonOnly` keeps the result parseable JSON (for containers that parse the
 * whole document, like a `{"data": [...]}` wrapper); `opts.arraySafe` keeps brackets balanced.
 * @param {ReturnType<import('./prng.mjs').createRng>} rng
 * @param {unknown} seed a plain JSON value (not modified)
 * @param {{ jsonOnly?: boolean, arraySafe?: boolean, cleanShare?: number, deepMax?: number, oversize?: boolean }} [opts]
 * @returns {Mutated}
 */
export function mutateRecord(rng, seed, opts = {}) {
  const tags = [];
  const raws = [];
  const big = [];
  let value = structuredClone(seed);
  const count = rng.chance(opts.cleanShare ?? 0.3) ? 0 : rng.range(1, 3);
  const textOps = [];
  for (let i = 0; i < count; i++) {
    const op = pickOp(rng, opts);
    tags.push(op);
    switch (op) {
      case 'type_flip': value = typeFlip(rng, value); break;
      case 'rename_key': renameKey(rng, value); break;
      case 'drop_key': dropKey(rng, value); break;
      case 'proto_key': protoKey(rng, value, tags); break;
      case 'lone_surrogate': insertIntoString(rng, value, rng.pick(LONE_SURROGATES)); break;
      case 'control_char': insertIntoString(rng, value, rng.pick(CONTROL_CHARS)); break;
      case 'tool_args': value = breakToolCall(rng, value, tags); break;
      case 'huge_number': hugeNumber(rng, value, raws, tags, big); break;
      case 'deep_nesting': deepNesting(rng, value, raws, tags, opts.deepMax ?? 20_000); break;
      case 'top_level_flip': value = topLevelFlip(rng, value, tags); break;
      case 'oversize': setMeta(value, 'fuzz_pad', 'x'.repeat(rng.range(1_100_000, 1_300_000))); break;
      default: textOps.push(op); // applied to the serialized text below
    }
  }
  let text = JSON.stringify(value) ?? 'null';
  for (let k = 0; k < raws.length; k++) text = text.replace(`"${RAW_MARK}${k}@@"`, () => raws[k]);
  let bytes = Buffer.from(text, 'utf8');
  let structural = false;
  let rawNul = false;
  for (const op of textOps) {
    switch (op) {
      case 'dup_key': bytes = duplicateKey(rng, bytes, value); break;
      case 'invalid_utf8': bytes = insertInString(rng, bytes, Buffer.from(rng.pick(INVALID_UTF8))); break;
      case 'raw_control': {
        const b = rng.pick([0x00, 0x01, 0x08, 0x09, 0x0c, 0x0d, 0x1b, 0x1f]);
        rawNul ||= b === 0;
        bytes = insertInString(rng, bytes, Buffer.from([b]));
        break;
      }
      case 'bom_in_string': bytes = insertInString(rng, bytes, Buffer.from([0xef, 0xbb, 0xbf])); break;
      case 'bom_at_start': bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]); structural = true; break;
      case 'truncate': bytes = bytes.subarray(0, rng.int(Math.max(1, bytes.length))); structural = true; break;
    }
  }
  return { bytes, tags, structural, rawNul, big: big.length ? stillThere(bytes, big) : big };
}

/** The unsafe integers that are still where we put them after the later mutations (a flip or a drop may have removed them). */
function stillThere(bytes, big) {
  let v;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return [];
  }
  if (!isObj(v)) return [];
  const text = new TextDecoder().decode(bytes);
  // The last number written to a key is the one that stays there, unless a later mutation (a type flip, a
  // rewrite of the key) replaced it: the final text must still hold that very token after that key.
  const last = new Map(big.map((b) => [b.at, b]));
  // With duplicated keys JSON.parse keeps the last one, so the last number written after the key decides.
  const lastToken = (key) => [...text.matchAll(new RegExp(`"${key}"\\s*:\\s*(-?[0-9][0-9.eE+-]*)`, 'g'))].at(-1)?.[1];
  return [...last.values()].filter((b) => {
    const key = b.at === 'id' ? 'id' : 'fuzz_num';
    return b.check && typeof v[key] === 'number' && lastToken(key) === b.text;
  });
}

const ALL_OPS = [
  ['type_flip', 10], ['rename_key', 8], ['drop_key', 8], ['proto_key', 6], ['lone_surrogate', 6], ['control_char', 6],
  ['tool_args', 8], ['huge_number', 7], ['deep_nesting', 4], ['top_level_flip', 3], ['dup_key', 5],
  ['invalid_utf8', 5], ['raw_control', 3], ['bom_in_string', 2], ['bom_at_start', 1], ['truncate', 8], ['oversize', 0.05],
];
const NOT_JSON = new Set(['invalid_utf8', 'raw_control', 'bom_at_start', 'truncate']);
const UNBALANCED = new Set(['bom_at_start', 'truncate']);

function pickOp(rng, opts) {
  const ops = ALL_OPS.filter(([op]) => !(opts.jsonOnly && NOT_JSON.has(op)) && !(opts.arraySafe && UNBALANCED.has(op)) && !(op === 'oversize' && !opts.oversize));
  const total = ops.reduce((s, [, w]) => s + w, 0);
  let r = rng.next() * total;
  for (const [op, w] of ops) if ((r -= w) < 0) return op;
  return ops[0][0];
}

/** Every container (object or array) and leaf in a value, breadth first, with its parent; bounded so huge records stay cheap. */
function nodes(value, limit = 400) {
  const out = [];
  const queue = [{ parent: undefined, key: undefined, node: value }];
  while (queue.length && out.length < limit) {
    const item = queue.shift();
    out.push(item);
    const n = item.node;
    if (n && typeof n === 'object') for (const k of Object.keys(n)) queue.push({ parent: n, key: Array.isArray(n) ? Number(k) : k, node: n[k] });
  }
  return out;
}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function randomOtherType(rng, v) {
  const choices = [() => null, () => true, () => 0, () => -1.5, () => '', () => 'flipped', () => [], () => ({}), () => [v], () => ({ value: v }), () => JSON.stringify(v) ?? 'null'];
  for (;;) {
    const c = rng.pick(choices)();
    if (typeof c !== typeof v || Array.isArray(c) !== Array.isArray(v)) return c;
  }
}

function typeFlip(rng, value) {
  const all = nodes(value).filter((n) => n.parent !== undefined);
  if (!all.length) return randomOtherType(rng, value);
  const t = rng.pick(all);
  t.parent[t.key] = randomOtherType(rng, t.node);
  return value;
}

function renameKey(rng, value) {
  const objs = nodes(value).filter((n) => isObj(n.node) && Object.keys(n.node).length);
  if (!objs.length) return;
  const o = rng.pick(objs).node;
  const k = rng.pick(Object.keys(o));
  const to = RENAMES[k] && rng.chance(0.6) ? rng.pick(RENAMES[k]) : rng.pick(KEY_VARIANTS)(k);
  const v = o[k];
  delete o[k];
  defineOwn(o, to, v);
}

function dropKey(rng, value) {
  const objs = nodes(value).filter((n) => isObj(n.node) && Object.keys(n.node).length);
  if (!objs.length) return;
  const o = rng.pick(objs).node;
  delete o[rng.pick(Object.keys(o))];
}

/** An own, enumerable key even when it is `__proto__` (plain assignment would set the prototype instead). */
function defineOwn(o, k, v) {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function setMeta(value, k, v) {
  if (isObj(value)) defineOwn(value, k, v);
}

function protoKey(rng, value, tags) {
  const key = rng.pick(['__proto__', '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString']);
  const v = rng.pick([() => 'polluted', () => ({ polluted: true, isAdmin: true }), () => [1, 2], () => null, () => ({ prototype: { polluted: 1 } })])();
  // Mostly at the top level (where unknown keys become `meta`), sometimes inside a turn.
  const objs = nodes(value).filter((n) => isObj(n.node));
  if (!objs.length) return;
  const top = rng.chance(0.6) || objs.length === 1;
  const o = top ? value : rng.pick(objs).node;
  if (!isObj(o)) return;
  defineOwn(o, key, v);
  if (top && o === value) tags.push(`top_key:${key}`);
}

function insertIntoString(rng, value, piece) {
  const strs = nodes(value).filter((n) => typeof n.node === 'string' && n.parent !== undefined);
  if (!strs.length) {
    if (isObj(value)) defineOwn(value, 'fuzz_text', `a${piece}b`);
    return;
  }
  const t = rng.pick(strs);
  const s = t.node;
  // Do not split an existing surrogate pair: that would be a second, unlabelled lone surrogate.
  let at = rng.int(s.length + 1);
  if (at > 0 && at < s.length && /[\ud800-\udbff]/.test(s[at - 1])) at++;
  t.parent[t.key] = s.slice(0, at) + piece + s.slice(at);
}

/** Broken tool-call arguments: the site depends on the record's shape (OpenAI tool_calls, ShareGPT function_call turns, Hermes text). */
function breakToolCall(rng, value, tags) {
  const breakArgs = (a) => {
    const s = typeof a === 'string' ? a : JSON.stringify(a) ?? '{}';
    return rng.pick([
      () => s.slice(0, Math.max(1, rng.int(s.length))),       // cut JSON
      () => s.replace(/"/g, "'"),                              // Python dict text
      () => JSON.stringify(s),                                 // double-encoded
      () => '{"a": }', () => '', () => 'null', () => '[1,2', () => 42, () => null, () => ({ nested: { deeper: [] } }),
      () => `${s}}`,                                           // trailing brace
    ])();
  };
  const all = nodes(value, 2000);
  const sites = all.filter((n) => n.key === 'arguments' || (isObj(n.parent) && (n.parent.from === 'function_call' || n.parent.role === 'function_call') && (n.key === 'value' || n.key === 'content')) || (typeof n.node === 'string' && n.node.includes('<tool_call>')));
  if (sites.length) {
    const t = rng.pick(sites);
    if (typeof t.node === 'string' && t.node.includes('<tool_call>') && t.key !== 'arguments') {
      t.parent[t.key] = t.node.replace(/<tool_call>([\s\S]*?)(<\/tool_call>|$)/, (_m, body) => `<tool_call>${String(breakArgs(body))}${rng.chance(0.5) ? '</tool_call>' : ''}`);
    } else t.parent[t.key] = breakArgs(t.node);
    tags.push('tool_site');
    return value;
  }
  // No tool call in this record: give it one with broken arguments, in the OpenAI shape.
  if (isObj(value) && Array.isArray(value.messages)) {
    value.messages.push({ role: 'assistant', content: null, tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: breakArgs('{"city": "Oslo"}') } }] });
    tags.push('tool_added');
  }
  return value;
}

function hugeNumber(rng, value, raws, tags, big) {
  const text = rng.pick(HUGE_NUMBERS);
  const k = raws.length;
  raws.push(text);
  const mark = `${RAW_MARK}${k}@@`;
  const where = rng.pick(['id', 'meta', 'meta', 'leaf']);
  if (NON_FINITE.has(text)) tags.push('non_finite');
  if (where !== 'leaf' && isObj(value)) {
    const key = where === 'id' ? 'id' : 'fuzz_num';
    defineOwn(value, key, mark);
    tags.push(`number_at:${key}`);
    // An id keeps the digits written in the file, whatever the number; in meta, big integers must keep theirs.
    // Every number placed is noted, so a later one written to the same key replaces an earlier one's check.
    big.push({ at: where, text, check: where === 'id' ? !NON_FINITE.has(text) : UNSAFE_INTEGERS.has(text) });
    return;
  }
  const leaves = nodes(value).filter((n) => n.parent !== undefined && (n.node === null || typeof n.node !== 'object'));
  if (!leaves.length) return;
  const t = rng.pick(leaves);
  t.parent[t.key] = mark;
}

/** Nesting as raw text, so neither this serializer nor the test ever recurses over it. */
export function deepText(depth, kind) {
  if (kind === 'array') return '['.repeat(depth) + ']'.repeat(depth);
  if (kind === 'object') return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  return '[{"a":'.repeat(depth >> 1) + '[]' + '}]'.repeat(depth >> 1);
}

function deepNesting(rng, value, raws, tags, deepMax) {
  const depth = rng.chance(0.8) ? rng.range(101, 200) : rng.chance(0.7) ? Math.min(deepMax, 20_000) : deepMax;
  const k = raws.length;
  raws.push(deepText(depth, rng.pick(['array', 'object', 'mixed'])));
  const mark = `${RAW_MARK}${k}@@`;
  tags.push(`deep:${depth}`);
  if (isObj(value) && rng.chance(0.6)) {
    defineOwn(value, 'fuzz_deep', mark);
    return;
  }
  const leaves = nodes(value).filter((n) => n.parent !== undefined && (n.node === null || typeof n.node !== 'object'));
  if (leaves.length) {
    const t = rng.pick(leaves);
    t.parent[t.key] = mark;
  } else if (isObj(value)) defineOwn(value, 'fuzz_deep', mark);
}

function topLevelFlip(rng, value, tags) {
  const to = rng.pick(['array1', 'array2', 'empty_array', 'string', 'number', 'null', 'empty_object']);
  tags.push(`top:${to}`);
  switch (to) {
    case 'array1': return [value];
    case 'array2': return [value, value];
    case 'empty_array': return [];
    case 'string': return JSON.stringify(value);
    case 'number': return 7;
    case 'null': return null;
    default: return {};
  }
}

/** A duplicated top-level key (`{"k": X, ..., "k": Y}`): first or last copy is the fuzz value. */
function duplicateKey(rng, bytes, value) {
  if (!isObj(value) || bytes[0] !== 0x7b || bytes[bytes.length - 1] !== 0x7d) return bytes;
  const keys = Object.keys(value);
  const key = keys.length ? rng.pick(keys) : 'messages';
  const dup = Buffer.from(`${JSON.stringify(key)}:${JSON.stringify(rng.pick(['dup', 0, null, [], { role: 'user' }]))}`);
  if (rng.chance(0.5) || bytes.length === 2) return Buffer.concat([Buffer.from('{'), dup, Buffer.from(bytes.length === 2 ? '' : ','), bytes.subarray(1)]);
  return Buffer.concat([bytes.subarray(0, bytes.length - 1), Buffer.from(','), dup, Buffer.from('}')]);
}

/**
 * Insert bytes just after the opening quote of some string (found by a scan that tracks strings and escapes),
 * so the JSON shape stays the same: a record with no string (`7`, `null`, `[]`) is left as it is, since bytes
 * between tokens would change how many values the text holds.
 */
function insertInString(rng, bytes, piece) {
  const starts = [];
  let inStr = false;
  let esc = false;
  for (let i = 0; i < bytes.length && starts.length < 64; i++) {
    const b = bytes[i];
    if (inStr) {
      if (esc) esc = false;
      else if (b === 0x5c) esc = true;
      else if (b === 0x22) inStr = false;
    } else if (b === 0x22) {
      inStr = true;
      starts.push(i + 1);
    }
  }
  if (!starts.length) return bytes;
  const at = rng.pick(starts);
  return Buffer.concat([bytes.subarray(0, at), piece, bytes.subarray(at)]);
}

/**
 * What a record's final bytes hold, worked out from the bytes (not from what the mutator meant to do):
 * whether they parse, how deep they nest, whether some string holds a lone surrogate, whether some number is not finite.
 * Iterative, so a 100,000-deep record does not overflow the stack here either.
 */
export function inspectRecord(bytes) {
  const depth = maxDepth(bytes);
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { json: false, depth, loneSurrogate: false, nonFinite: false };
  }
  if (depth > 5000) return { json: undefined, depth, loneSurrogate: false, nonFinite: false }; // not parsed here: too deep to walk cheaply
  let v;
  try {
    v = JSON.parse(text);
  } catch {
    return { json: false, depth, loneSurrogate: false, nonFinite: false };
  }
  let loneSurrogate = false;
  let nonFinite = false;
  const topKeys = v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
  const stack = [v];
  while (stack.length) {
    const n = stack.pop();
    if (typeof n === 'string') loneSurrogate ||= hasLoneSurrogate(n);
    else if (typeof n === 'number') nonFinite ||= !Number.isFinite(n);
    else if (n && typeof n === 'object') for (const k of Object.keys(n)) {
      loneSurrogate ||= hasLoneSurrogate(k);
      stack.push(n[k]);
    }
  }
  return { json: true, depth, loneSurrogate, nonFinite, topKeys };
}

export function hasLoneSurrogate(s) {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

/** Bracket depth outside strings, by a linear byte scan. */
export function maxDepth(bytes) {
  let depth = 0, max = 0, inStr = false, esc = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inStr) {
      if (esc) esc = false;
      else if (b === 0x5c) esc = true;
      else if (b === 0x22) inStr = false;
    } else if (b === 0x22) inStr = true;
    else if (b === 0x7b || b === 0x5b) max = Math.max(max, ++depth);
    else if (b === 0x7d || b === 0x5d) depth--;
  }
  return max;
}
