/**
 * Writes a fuzz corpus: mutated real records in JSONL, JSON arrays, `.json` object files, gzip (whole,
 * truncated and corrupted) and Parquet (written by DuckDB, an independent writer). For every file it notes
 * how many records a reader must report (exactly, or a range when the damage makes the count a judgment),
 * and, for files whose structure is intact, what each record at each index holds (for the semantic checks).
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { createRng } from './prng.mjs';
import { deepText, hasLoneSurrogate, inspectRecord, mutateRecord } from './fuzzer.mjs';

/** The binary-file sniff looks at a text file's first 8 KB; a raw NUL there refuses the whole file (exit 2, by design). */
const BINARY_SNIFF_BYTES = 8192;

/**
 * @typedef {{ tags: string[], inspect: ReturnType<typeof inspectRecord>, big: Array<{at: string, text: string}>, merged?: boolean }} RecordNote
 * @typedef {{
 *   path: string, kind: string, written: number,
 *   expect: { exact?: number, min?: number, max?: number, reasons?: string[] },
 *   notes?: Map<number, RecordNote>,   // by index, only where the structure is intact
 * }} CorpusFile
 */

/**
 * @param {{ seeds: ReturnType<typeof import('./seeds.mjs').loadSeeds>, dir: string, seed: number, scale?: number }} p
 * @returns {Promise<{ files: CorpusFile[], records: number }>}
 */
export async function buildCorpus({ seeds, dir, seed, scale = 1 }) {
  mkdirSync(dir, { recursive: true });
  const rng = createRng(seed);
  const n = (k) => Math.max(1, Math.round(k * scale));
  const files = [];
  const draw = (r, family) => {
    const fam = r.chance(0.8) ? family : r.pick(['sft', 'tools', 'pref']);
    return r.pick(seeds.families[fam].length ? seeds.families[fam] : seeds.families.sft);
  };
  const mutations = (r, family, count, opts) => Array.from({ length: count }, () => mutateRecord(r, draw(r, family), { deepMax: scale > 1 ? 100_000 : 20_000, oversize: true, ...opts }));

  // JSONL: the bulk. One file starts with an array line (a JSONL file is lines, whatever the first byte).
  const jsonlPlan = [['sft', 3200, {}], ['tools', 3200, { firstLineArray: true }], ['pref', 2800, {}], ['sft', 2800, { truncateFile: true }]];
  for (const [i, [family, count, extra]] of jsonlPlan.entries()) {
    const r = rng.fork();
    files.push(writeJsonl(join(dir, `fuzz-${i}-${family}.jsonl`), r, mutations(r, family, n(count), {}), extra));
  }
  // JSONL under a .json name (the Berkeley function-calling benchmark ships these): first line kept whole.
  {
    const r = rng.fork();
    const recs = mutations(r, 'sft', n(500), {});
    recs[0] = mutateRecord(r, seeds.families.sft[0], { cleanShare: 1 });
    files.push(writeJsonl(join(dir, 'jsonl-named.json'), r, recs, { noCrOnly: true }));
  }
  // JSON arrays whose structure is intact: the count is exactly the elements written.
  for (const [i, family] of ['tools', 'pref'].entries()) {
    const r = rng.fork();
    files.push(writeArray(join(dir, `array-${i}-${family}.json`), r, mutations(r, family, n(1500), { arraySafe: true }), {}));
  }
  // An array missing its closing ] (every element whole): still exactly the elements written.
  {
    const r = rng.fork();
    files.push(writeArray(join(dir, 'array-no-close.json'), r, mutations(r, 'sft', n(300), { arraySafe: true }), { noClose: true }));
  }
  // A damaged array (cut elements, stray BOMs, doubled and missing commas): only the books are checked.
  {
    const r = rng.fork();
    files.push(writeArray(join(dir, 'array-damaged.json'), r, mutations(r, 'sft', n(500), {}), { damaged: true }));
  }
  // A wrapper object {"data": [...]}: parsed as one document, so its records stay parseable JSON.
  {
    const r = rng.fork();
    const recs = mutations(r, 'tools', n(400), { jsonOnly: true });
    files.push(writeWrapper(join(dir, 'wrapper.json'), recs));
  }
  // Single-record .json files (the top level is the record): deep fields must meet the same limits.
  for (let i = 0; i < 12; i++) {
    const r = rng.fork();
    const rec = mutateRecord(r, draw(r, 'sft'), { jsonOnly: true, cleanShare: 0.2 });
    files.push(writeSingle(join(dir, `single-${i}.json`), r, rec, i));
  }
  // gzip: JSONL, an array, a truncated JSONL, a corrupted JSONL.
  {
    const r = rng.fork();
    const f = writeJsonl(join(dir, 'gz-lines.jsonl'), r, mutations(r, 'sft', n(1800), {}), {});
    files.push(gzipFile(f));
  }
  {
    const r = rng.fork();
    files.push(gzipFile(writeArray(join(dir, 'gz-array.json'), r, mutations(r, 'tools', n(1000), { arraySafe: true }), {})));
  }
  {
    const r = rng.fork();
    files.push(truncatedGzip(writeJsonl(join(dir, 'gz-cut.jsonl'), r, mutations(r, 'pref', n(1000), {}), { noCrOnly: true }), r));
  }
  {
    const r = rng.fork();
    files.push(corruptedGzip(writeJsonl(join(dir, 'gz-bad.jsonl'), r, mutations(r, 'sft', n(400), {}), { noCrOnly: true }), r));
  }
  // Parquet: JSON-typed cells (bad JSON, deep values, huge numbers, `__proto__` column), Hub-style nested columns, and damaged files.
  files.push(await writeJsonCellParquet(join(dir, 'cells.parquet'), rng.fork(), seeds, n(1500)));
  const typed = await writeTypedParquet(join(dir, 'typed.parquet'), rng.fork(), seeds, n(1200), 50_000);
  files.push(typed);
  files.push(await corruptParquet(join(dir, 'typed-corrupt-page.parquet'), rng.fork(), seeds, n(600), 'page'));
  files.push(await corruptParquet(join(dir, 'typed-no-footer.parquet'), rng.fork(), seeds, n(300), 'footer'));

  const records = files.reduce((s, f) => s + f.written, 0);
  return { files, records };
}

// ---------- JSONL ----------

/** Records a JSONL reader must report: non-blank lines (split on LF; a BOM on line 1 and a CR before LF are not content). */
export function countJsonlRecords(bytes) {
  let count = 0;
  let start = 0;
  let line = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    let s = start;
    if (line === 0 && bytes[s] === 0xef && bytes[s + 1] === 0xbb && bytes[s + 2] === 0xbf) s += 3;
    let blank = true;
    for (let k = s; k < i; k++) if (bytes[k] !== 0x20 && bytes[k] !== 0x09 && bytes[k] !== 0x0d) { blank = false; break; }
    if (!blank) count++;
    line++;
    start = i + 1;
  }
  return count;
}

function noteOf(m) {
  return { tags: m.tags, inspect: inspectRecord(m.bytes), big: m.big };
}

/** Keep raw NULs out of the sniffed head of a text file (see BINARY_SNIFF_BYTES): they become 0x01. */
function guardHead(m, offset) {
  if (!m.rawNul || offset > BINARY_SNIFF_BYTES) return m.bytes;
  return Buffer.from(m.bytes.map((b) => (b === 0 ? 1 : b)));
}

function writeJsonl(path, r, recs, opts) {
  const parts = [];
  const notes = new Map();
  let offset = 0;
  let line = 0;
  const push = (b) => {
    parts.push(b);
    offset += b.length;
  };
  if (opts.firstLineArray) {
    // A line that is a JSON array of records (item 2 of issue 10): one record line, like any other.
    const a = Buffer.from(JSON.stringify(['stray', 'header']));
    push(a);
    push(Buffer.from('\n'));
    notes.set(line++, { tags: ['top:header_array'], inspect: inspectRecord(a), big: [] });
  }
  if (r.chance(0.3)) push(Buffer.from([0xef, 0xbb, 0xbf])); // a BOM at the very start is allowed
  let crRun = 0;
  for (const m of recs) {
    const bytes = guardHead(m, offset);
    push(bytes);
    if (crRun > 0) {
      // Inside a CR-only run: the records share one line, so they are one record to a JSONL reader.
      const prev = notes.get(line) ?? { tags: [], inspect: { json: false }, big: [], merged: true };
      prev.merged = true;
      prev.tags = [...prev.tags, ...m.tags, 'cr_only'];
      prev.inspect = { json: false };
      notes.set(line, prev);
      crRun--;
      if (crRun > 0) push(Buffer.from('\r'));
      else {
        push(Buffer.from('\n'));
        line++;
      }
      continue;
    }
    notes.set(line, noteOf({ ...m, bytes }));
    if (!opts.noCrOnly && r.chance(0.002)) {
      crRun = r.range(2, 6);
      push(Buffer.from('\r'));
      crRun--;
      continue;
    }
    push(Buffer.from(r.chance(0.05) ? '\r\n' : '\n'));
    line++;
    if (r.chance(0.01)) {
      push(Buffer.from(r.pick(['\n', '  \n', '\t\r\n', ' \r\n'])));
      line++;
    }
  }
  let bytes = Buffer.concat(parts);
  if (opts.truncateFile) {
    // The file is cut at a random byte of its last few records (a killed download).
    const cut = bytes.length - 1 - r.int(Math.min(bytes.length - 1, 4000));
    bytes = bytes.subarray(0, cut);
    const cutLine = countLinesBefore(bytes);
    for (const [idx] of notes) if (idx >= cutLine) notes.delete(idx); // the cut line is not what we wrote
  }
  writeFileSync(path, bytes);
  return { path, kind: 'jsonl', written: recs.length + (opts.firstLineArray ? 1 : 0), bytes, expect: { exact: countJsonlRecords(bytes) }, notes };
}

function countLinesBefore(bytes) {
  let k = 0;
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) k++;
  return k; // lines with a full LF; the last, cut line has this index
}

// ---------- JSON arrays and objects ----------

function writeArray(path, r, recs, opts) {
  const parts = [Buffer.from(r.chance(0.3) ? '\ufeff[' : '[')];
  const notes = new Map();
  let offset = parts[0].length;
  recs.forEach((m, i) => {
    let bytes = guardHead(m, offset);
    if (opts.damaged && r.chance(0.03)) bytes = Buffer.concat([bytes, Buffer.from(r.pick([' ', ',,', ',,,', ' ,']))]); // [{..} {..},,]
    const sep = Buffer.from(i === recs.length - 1 ? '' : r.pick([',\n', ',', ' , ', ',\r\n  ']));
    parts.push(Buffer.from(r.chance(0.5) ? '\n  ' : ''), bytes, opts.damaged && r.chance(0.03) ? Buffer.from(' ') : sep);
    offset += bytes.length + sep.length + 3;
    if (!opts.damaged) notes.set(i, noteOf({ ...m, bytes }));
  });
  if (!opts.noClose) parts.push(Buffer.from(r.pick(['\n]\n', ']', '\n]\n\n'])));
  else parts.push(Buffer.from('\n'));
  const bytes = Buffer.concat(parts);
  writeFileSync(path, bytes);
  const expect = opts.damaged ? {} : { exact: recs.length };
  return { path, kind: opts.damaged ? 'array-damaged' : opts.noClose ? 'array-no-close' : 'array', written: recs.length, bytes, expect, notes };
}

function writeWrapper(path, recs) {
  const bytes = Buffer.concat([Buffer.from('{"version": 1, "data": [\n'), ...recs.flatMap((m, i) => [m.bytes, Buffer.from(i < recs.length - 1 ? ',\n' : '\n')]), Buffer.from(']}\n')]);
  writeFileSync(path, bytes);
  const notes = new Map(recs.map((m, i) => [i, noteOf(m)]));
  return { path, kind: 'json-wrapper', written: recs.length, bytes, expect: { exact: recs.length }, notes };
}

function writeSingle(path, r, m, i) {
  // A single-record file gets a deep field half the time: 150 deep (over --max-depth 100) or 20,000 deep.
  let bytes = m.bytes;
  const tags = [...m.tags];
  if (bytes[0] === 0x7b && i % 2 === 0) {
    const depth = i % 4 === 0 ? 150 : 20_000;
    bytes = Buffer.concat([Buffer.from(`{"fuzz_deep": ${deepText(depth, 'object')}, `), bytes.subarray(1)]);
    if (bytes[bytes.length - 1] !== 0x7d || bytes.subarray(-3).toString() === ', }') bytes = m.bytes;
    else tags.push(`deep:${depth}`);
  }
  writeFileSync(path, bytes);
  // A top level that is not an object (an array, a string) is read as whatever it is: count only when it is an object record.
  const isObjectRecord = bytes[0] === 0x7b && isSingleRecord(bytes);
  return { path, kind: 'json-single', written: 1, bytes, expect: isObjectRecord ? { exact: 1 } : {}, notes: new Map([[0, { tags, inspect: inspectRecord(bytes), big: m.big }]]) };
}

/** A `.json` top-level object that holds a record key, or no array of objects, is one record. */
function isSingleRecord(bytes) {
  const text = bytes.toString('utf8');
  if (inspectRecord(bytes).depth > 1000) return /^\{"fuzz_deep"/.test(text); // built above: one record with a deep field
  try {
    const doc = JSON.parse(text);
    if (['messages', 'conversations', 'instruction', 'text', 'chosen', 'rejected', 'prompt', 'completions', 'chosen_messages'].some((k) => Object.hasOwn(doc, k))) return true;
    return !Object.values(doc).some((v) => Array.isArray(v) && v.some((x) => x && typeof x === 'object' && !Array.isArray(x)));
  } catch {
    return false;
  }
}

// ---------- gzip ----------

function gzipFile(f) {
  const gz = gzipSync(f.bytes);
  const path = `${f.path}.gz`;
  writeFileSync(path, gz);
  unlinkSync(f.path); // only the .gz is an input
  return { ...f, path, kind: `${f.kind}.gz` };
}

function truncatedGzip(f, r) {
  const gz = gzipSync(f.bytes);
  const cut = Math.floor(gz.length * (0.4 + r.next() * 0.5));
  const path = `${f.path}.gz`;
  writeFileSync(path, gz.subarray(0, cut));
  unlinkSync(f.path);
  // What any gunzip can recover before the cut: its whole lines are records, the cut is one more reject at most.
  const recovered = gunzipSync(gz.subarray(0, cut), { finishFlush: constants.Z_SYNC_FLUSH });
  const lastLf = recovered.lastIndexOf(0x0a);
  const whole = countJsonlRecords(recovered.subarray(0, lastLf + 1));
  const notes = new Map([...f.notes].filter(([i]) => i < countLinesBefore(recovered)));
  return { path, kind: 'jsonl.gz-truncated', written: f.written, expect: { min: whole, max: whole + 2, reasons: ['truncated_file'] }, notes };
}

function corruptedGzip(f, r) {
  const gz = Buffer.from(gzipSync(f.bytes));
  // Overwrite a few bytes in the middle of the deflate stream: what comes out after that is unknowable.
  const at = Math.floor(gz.length * (0.3 + r.next() * 0.4));
  for (let k = 0; k < 16; k++) gz[at + k] = r.int(256);
  const path = `${f.path}.gz`;
  writeFileSync(path, gz);
  unlinkSync(f.path);
  return { path, kind: 'jsonl.gz-corrupt', written: f.written, expect: {}, notes: new Map() };
}

// ---------- Parquet (written by DuckDB) ----------

async function duck() {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  return db.connect();
}

const sqlPath = (p) => `'${p.replace(/'/g, "''")}'`;

/** JSON cells DuckDB would refuse (bad JSON, lone surrogate escapes) go in as same-length placeholders, patched in the file afterwards. */
function placeholder(k, len) {
  const tok = `~PH${k}~`;
  return `"${tok}${'Z'.repeat(len - tok.length - 2)}"`;
}

const CELL_COLUMNS = ['id', 'messages', 'conversations', 'system', 'tools', 'instruction', 'input', 'output', 'chosen', 'rejected', '__proto__', 'constructor', 'fuzz_num', 'fuzz_deep'];

async function writeJsonCellParquet(path, r, seeds, count) {
  const rows = [];
  const notes = new Map();
  const patches = [];
  for (let i = 0; i < count; i++) {
    const rec = r.pick(seeds.families[r.pick(['sft', 'tools', 'tools', 'pref'])]);
    const cells = Object.create(null); // null prototype: a `__proto__` cell is an own key, not the prototype
    const tags = [];
    const big = [];
    for (const col of CELL_COLUMNS) {
      let text = Object.hasOwn(rec, col) ? JSON.stringify(rec[col]) : undefined;
      if (r.chance(0.06)) {
        const op = r.pick(['bad_json', 'deep', 'huge', 'surrogate', 'control', 'flip', 'drop', 'proto', 'dup_key']);
        tags.push(`cell:${col}:${op}`);
        if (op === 'bad_json') text = (text ?? '{"k": [1, 2').slice(0, Math.max(1, r.int((text ?? '').length || 10)));
        else if (op === 'deep') text = deepText(r.chance(0.5) ? 150 : 20_000, r.pick(['array', 'object', 'mixed']));
        else if (op === 'huge') {
          const h = r.pick(['1e999', '9007199254740993', '123456789012345678901234567890']);
          text = h;
          if (h !== '1e999' && (col === 'id' || col === 'fuzz_num')) big.push({ at: col === 'id' ? 'id' : 'meta', text: h });
        } else if (op === 'surrogate' && text) text = text.replace(/"/, '"\\ud800');
        else if (op === 'control' && text) text = text.replace(/"/, r.pick(['"\\u0000', '"\\u001b', '"\\u007f']));
        else if (op === 'flip') text = r.pick(['42', 'null', '[]', '{}', '"str"', 'true']);
        else if (op === 'drop') text = undefined;
        else if (op === 'proto' || col === '__proto__' || col === 'constructor') text = JSON.stringify(r.pick(['polluted', { polluted: true }]));
        else if (op === 'dup_key' && text && text.startsWith('{')) text = `{"role":"dup",${text.slice(1)}`;
      }
      if (text !== undefined) cells[col] = text;
    }
    const row = Object.create(null);
    for (const [col, text] of Object.entries(cells)) {
      const ok = isValidJsonForDuck(text);
      if (ok) row[col] = text;
      else {
        const padded = ' '.repeat(Math.max(0, 24 - Buffer.byteLength(text))) + text; // long enough for a unique placeholder
        const ph = placeholder(patches.length, Buffer.byteLength(padded));
        patches.push([ph, padded]);
        row[col] = ph;
      }
    }
    rows.push(row);
    const recordText = Buffer.from(`{${Object.entries(cells).map(([c, t]) => `${JSON.stringify(c)}:${t}`).join(',')}}`);
    if (cells.__proto__ !== undefined) tags.push('top_key:__proto__');
    if (cells.constructor !== undefined) tags.push('top_key:constructor');
    notes.set(i, { tags, inspect: inspectRecord(recordText), big });
  }
  const stage = `${path}.stage.jsonl`;
  writeFileSync(stage, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  const conn = await duck();
  try {
    const cols = CELL_COLUMNS.map((c) => `${JSON.stringify(c)}: 'VARCHAR'`).join(', ');
    const select = CELL_COLUMNS.map((c) => `${JSON.stringify(c)}::JSON AS ${JSON.stringify(c)}`).join(', ');
    await conn.run(`COPY (SELECT ${select} FROM read_json(${sqlPath(stage)}, columns={${cols}}, maximum_object_size=1000000000)) TO ${sqlPath(path)} (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 500)`);
  } finally {
    conn.closeSync();
    unlinkSync(stage);
  }
  let file = readFileSync(path);
  for (const [ph, text] of patches) {
    const from = Buffer.from(ph);
    const to = Buffer.from(text);
    let at = file.indexOf(from);
    if (at < 0) throw new Error(`fuzz corpus: placeholder ${ph} not found in ${path}`);
    while (at >= 0) {
      to.copy(file, at);
      at = file.indexOf(from, at + 1);
    }
  }
  writeFileSync(path, file);
  return { path, kind: 'parquet-json-cells', written: count, expect: { exact: count }, notes };
}

function isValidJsonForDuck(text) {
  try {
    if (text.length < 200_000) JSON.parse(text);
  } catch {
    return false;
  }
  return !/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])/i.test(text) && !/(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i.test(text);
}

/** Hub-style columns (a list of {from, value} structs), with damaged strings and shapes DuckDB can still type. */
async function typedRows(r, seeds, count) {
  const pool = seeds.families.tools.concat(seeds.families.sft).filter((x) => Array.isArray(x.conversations));
  const rows = [];
  for (let i = 0; i < count; i++) {
    const rec = r.pick(pool);
    let conv = rec.conversations.map((t) => ({ from: t.from ?? null, value: typeof t.value === 'string' ? t.value : JSON.stringify(t.value) }));
    const ops = [];
    if (r.chance(0.5)) {
      const op = r.pick(['control', 'role', 'empty', 'null_turn_field', 'no_turns', 'null_conv', 'long', 'surrogate_text']);
      ops.push(op);
      const t = conv.length ? conv[r.int(conv.length)] : undefined;
      if (op === 'control' && t) t.value = `${t.value}${r.pick(['\u0000', '\u0001', '\u001b', '\u2028', '\ufffd'])}x`;
      else if (op === 'role' && t) t.from = r.pick(['Human', 'bot', '', 'system', 'tool', 'observation', 'function_call']);
      else if (op === 'empty' && t) t.value = '';
      else if (op === 'null_turn_field' && t) t[r.pick(['from', 'value'])] = null;
      else if (op === 'no_turns') conv = [];
      else if (op === 'null_conv') conv = null;
      else if (op === 'long' && t) t.value = 'y'.repeat(30_000);
      else if (op === 'surrogate_text' && t) t.value = `${t.value}\ufffd`; // DuckDB stores UTF-8 only: U+FFFD is what a lone surrogate becomes
    }
    rows.push({ row: { id: r.chance(0.1) ? null : `r${i}`, conversations: conv, tools: typeof rec.tools === 'string' ? rec.tools : rec.tools ? JSON.stringify(rec.tools) : null, __proto__x: r.chance(0.2) ? 'polluted' : null }, ops });
  }
  return rows;
}

async function writeTypedParquet(path, r, seeds, count, rowGroup) {
  const rows = await typedRows(r, seeds, count);
  const stage = `${path}.stage.jsonl`;
  writeFileSync(stage, rows.map((x) => JSON.stringify(x.row)).join('\n') + '\n');
  const conn = await duck();
  try {
    await conn.run(`COPY (SELECT id, conversations, tools, __proto__x AS "__proto__" FROM read_json(${sqlPath(stage)}, columns={id: 'VARCHAR', conversations: 'STRUCT("from" VARCHAR, "value" VARCHAR)[]', tools: 'VARCHAR', __proto__x: 'VARCHAR'}, maximum_object_size=1000000000)) TO ${sqlPath(path)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroup})`);
  } finally {
    conn.closeSync();
    unlinkSync(stage);
  }
  const notes = new Map(rows.map((x, i) => [i, { tags: [...x.ops, ...(x.row.__proto__x ? ['top_key:__proto__'] : [])], inspect: { json: true, depth: 3, loneSurrogate: false, nonFinite: false, topKeys: ['id', 'conversations', 'tools', ...(x.row.__proto__x ? ['__proto__'] : [])] }, big: [] }]));
  return { path, kind: 'parquet-typed', written: count, expect: { exact: count }, notes };
}

/** A Parquet file with a damaged page (garbage in the middle) or without its footer. */
async function corruptParquet(path, r, seeds, count, how) {
  const f = await writeTypedParquet(path, r, seeds, count, 100);
  const bytes = Buffer.from(readFileSync(path));
  if (how === 'footer') {
    writeFileSync(path, bytes.subarray(0, bytes.length - 50));
    return { path, kind: 'parquet-no-footer', written: count, expect: { min: 1, max: count + 1, reasons: ['corrupt_file'] }, notes: new Map() };
  }
  const at = Math.floor(bytes.length * (0.35 + r.next() * 0.2));
  for (let k = 0; k < 256; k++) bytes[at + k] = r.int(256);
  writeFileSync(path, bytes);
  return { path, kind: 'parquet-corrupt-page', written: f.written, expect: { min: 0, max: count + 1 }, notes: new Map() };
}

export { hasLoneSurrogate };
