/**
 * Runs a fuzz corpus through the real CLI (`validate`, `convert`, `audit`, `pairs`) and checks the promises
 * of issue 10 from the outside: no crash, exit codes 0/1/2, the books balance per file, every record read
 * is in exactly one output (kept, rejected or dropped), the read counts match what the corpus writer knows,
 * and what is kept is sound (not too deep, no lone surrogates, no non-finite numbers, digits kept, keys kept).
 *
 * It returns a list of violations (empty when everything holds) plus figures for the bench; the test asserts
 * the list is empty, the bench prints it.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { hasLoneSurrogate } from './fuzzer.mjs';

/** A V8 stack frame, or Node's report of an uncaught exception / fatal error: what a crash leaves on stderr. */
const CRASH = [/^\s+at .+:\d+:\d+\)?$/m, /triggerUncaughtException/, /FATAL ERROR/, /Maximum call stack size exceeded/, /^\w*Error: /m, /node:internal/, /CONSERVATION CHECK FAILED/];
const LIMIT_ARGS = ['--max-record-bytes', '1048576'];

/**
 * @param {{ files: import('./corpus.mjs').CorpusFile[], dir: string,
 *   run: (args: string[]) => Promise<{ code: number | null, signal?: string | null, stdout: string, stderr: string, maxRssMb?: number, ms?: number }>,
 *   pairsTokens?: boolean }} p
 */
export async function fuzzCommands({ files, dir, run, pairsTokens = false }) {
  const out = join(dir, 'out');
  mkdirSync(out, { recursive: true });
  const inputs = files.map((f) => f.path);
  const o = (name) => join(out, name);
  const violations = [];
  const results = {};
  const v = (command, check, detail, file) => violations.push({ command, check, file: file ? file.split('/').pop() : undefined, detail });

  const commands = {
    validate: ['validate', ...inputs, '--json', '--rejects', o('v.rejects.jsonl'), '--dropped', o('v.dropped.jsonl'), ...LIMIT_ARGS],
    convert: ['convert', ...inputs, '-o', o('c.out.jsonl'), '--rejects', o('c.rejects.jsonl'), '--dropped', o('c.dropped.jsonl'), '--dedup', '--json', ...LIMIT_ARGS],
    audit: ['audit', ...inputs, '--json', '--out', o('audit'), '--rejects', o('a.rejects.jsonl'), '--dropped', o('a.dropped.jsonl'), ...LIMIT_ARGS],
    pairs: ['pairs', ...inputs, '-o', o('p.out.jsonl'), '--unpaired', o('p.unpaired.jsonl'), '--rejects', o('p.rejects.jsonl'), '--dropped', o('p.dropped.jsonl'), '--json', ...(pairsTokens ? [] : ['--no-tokens'])],
  };
  const keptFiles = { validate: [], convert: [o('c.out.jsonl')], audit: [], pairs: [o('p.out.jsonl'), o('p.unpaired.jsonl')] };

  for (const [name, args] of Object.entries(commands)) {
    const t0 = Date.now();
    const r = await run(args);
    const res = { code: r.code, signal: r.signal ?? null, ms: r.ms ?? Date.now() - t0, maxRssMb: r.maxRssMb, handled: r.stderr.split('\n').filter((l) => l.startsWith('chatmill:')).slice(0, 5) };
    results[name] = res;
    // No crash: a clean exit code, no signal, no stack or uncaught error on stderr.
    if (r.signal) v(name, 'crash', `killed by ${r.signal}`);
    if (![0, 1, 2].includes(r.code)) v(name, 'exit_code', `exit ${r.code}`);
    const crash = CRASH.find((re) => re.test(r.stderr));
    if (crash) v(name, 'crash', `stderr matches ${crash}: ${excerpt(r.stderr, crash)}`);

    // Per-file books, from the --json summary (audit has no per-file summary: its books come from its outputs).
    let summary;
    if (name === 'audit') summary = auditSummary(r, o('audit'), o('a.rejects.jsonl'), o('a.dropped.jsonl'), (c, d) => v(name, c, d));
    else {
      try {
        summary = JSON.parse(r.stdout);
      } catch {
        v(name, 'summary', `no --json summary on stdout (exit ${r.code}; stderr: ${r.stderr.split('\n').filter((l) => l.startsWith('chatmill:')).join(' | ').slice(0, 400)})`);
        continue;
      }
    }
    if (!summary) continue;
    res.summary = { read: summary.read, kept: summary.kept, rejected: summary.rejected, dropped: summary.dropped, reasons: summary.reasons };

    const rej = readJsonl(name === 'validate' ? o('v.rejects.jsonl') : name === 'convert' ? o('c.rejects.jsonl') : name === 'audit' ? o('a.rejects.jsonl') : o('p.rejects.jsonl'), (d) => v(name, 'output_json', d));
    const drop = readJsonl(name === 'validate' ? o('v.dropped.jsonl') : name === 'convert' ? o('c.dropped.jsonl') : name === 'audit' ? o('a.dropped.jsonl') : o('p.dropped.jsonl'), (d) => v(name, 'output_json', d));
    const kept = keptFiles[name].flatMap((p) => readJsonl(p, (d) => v(name, 'output_json', d), name === 'convert'));
    res.outputs = { kept: kept.length, rejects: rej.length, dropped: drop.length };
    res.books = checkBooks({ name, files, summary, kept, rej, drop, v, perRecordKept: name === 'convert' || name === 'pairs' });
    if (name === 'convert') checkKept({ files, kept, v: (c, d, f) => v(name, c, d, f) });
  }
  crossCheck(results, violations);
  await roundTrip({ run, out: o('c.out.jsonl'), again: o('c.roundtrip.jsonl'), results, v });
  return { violations, results };
}

/** chatmill reads its own output back unchanged: converting convert's output must give the same bytes, every record kept. */
async function roundTrip({ run, out, again, results, v }) {
  if (!existsSync(out) || !results.convert?.summary) return;
  const r = await run(['convert', out, '-o', again, '--json']);
  results.roundtrip = { code: r.code, ms: r.ms, maxRssMb: r.maxRssMb, handled: [] };
  const crash = CRASH.find((re) => re.test(r.stderr));
  if (crash || r.code !== 0) v('roundtrip', 'crash', `convert of convert's output: exit ${r.code}; ${crash ? excerpt(r.stderr, crash) : r.stderr.slice(-300)}`);
  let s;
  try {
    s = JSON.parse(r.stdout);
  } catch {
    v('roundtrip', 'summary', 'no --json summary');
    return;
  }
  if (s.kept !== s.read || s.read !== results.convert.summary.kept) v('roundtrip', 'roundtrip', `convert kept ${results.convert.summary.kept}; reading them back: read ${s.read}, kept ${s.kept}, rejected ${s.rejected} (${JSON.stringify(s.reasons)})`);
  const a = readFileSync(out);
  const b = existsSync(again) ? readFileSync(again) : Buffer.alloc(0);
  if (!a.equals(b)) {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    const from = Math.max(0, i - 80);
    v('roundtrip', 'roundtrip', `output differs from its input at byte ${i}: ${a.subarray(from, i + 80).toString()} | ${b.subarray(from, i + 80).toString()}`);
  }
}

function excerpt(text, re) {
  const m = re.exec(text);
  const at = m ? m.index : 0;
  return text.slice(Math.max(0, at - 200), at + 300).replace(/\n/g, ' ⏎ ');
}

/**
 * Read a JSONL output line by line from byte chunks (a bench-scale rejects file is bigger than the longest JS string).
 * Only what the checks need is held: source, index, reason, unless `full` (convert's kept records, for the soundness checks).
 */
function readJsonl(path, bad, full = false) {
  if (!existsSync(path)) return [];
  const rows = [];
  const fd = openSync(path, 'r');
  const chunk = Buffer.alloc(8 << 20);
  let carry = [];
  let n = 0;
  const take = (buf) => {
    n++;
    if (!buf.length) return;
    const line = buf.toString('utf8');
    try {
      const rec = JSON.parse(line);
      rows.push(full ? { rec, line } : { rec: { source: rec?.source, index: rec?.index, reason: rec?.reason } });
    } catch {
      bad(`${path.split('/').pop()} line ${n} is not JSON: ${line.slice(0, 120)}`);
    }
  };
  try {
    for (;;) {
      const got = readSync(fd, chunk, 0, chunk.length, null);
      if (got === 0) break;
      let start = 0;
      for (let nl = chunk.indexOf(0x0a, 0); nl >= 0 && nl < got; nl = chunk.indexOf(0x0a, start)) {
        const piece = chunk.subarray(start, nl);
        take(carry.length ? Buffer.concat([...carry, piece]) : piece);
        carry = [];
        start = nl + 1;
      }
      if (start < got) carry.push(Buffer.from(chunk.subarray(start, got)));
    }
    if (carry.length) take(Buffer.concat(carry));
  } finally {
    closeSync(fd);
  }
  return rows;
}

/** audit.json counts kept records per source; its rejects and drops files hold the rest. */
function auditSummary(r, dir, rejPath, dropPath, v) {
  let audit;
  try {
    audit = JSON.parse(r.stdout);
  } catch {
    v('summary', `no audit.json on stdout (exit ${r.code}; stderr: ${r.stderr.split('\n').filter((l) => l.startsWith('chatmill:')).join(' | ').slice(0, 400)})`);
    return undefined;
  }
  const rej = readJsonl(rejPath, () => undefined);
  const drop = readJsonl(dropPath, () => undefined);
  const files = new Map();
  const book = (p) => files.get(p) ?? files.set(p, { path: p, read: 0, kept: 0, rejected: 0, dropped: 0 }).get(p);
  for (const [p, b] of Object.entries(audit.by_source ?? {})) book(p).kept += b.records;
  for (const x of rej) book(x.rec.source).rejected++;
  for (const x of drop) book(x.rec.source).dropped++;
  for (const b of files.values()) b.read = b.kept + b.rejected + b.dropped;
  const totals = /read (\d+), kept (\d+), rejected (\d+), dropped (\d+)/.exec(r.stderr);
  if (!totals) v('summary', 'audit printed no "read N, kept K, rejected R, dropped D" line');
  else {
    const [read, kept, rejected, dropped] = totals.slice(1).map(Number);
    if (read !== kept + rejected + dropped) v('conservation', `audit totals: read ${read} != kept ${kept} + rejected ${rejected} + dropped ${dropped}`);
    if (kept !== audit.records) v('books', `audit: stderr says kept ${kept}, audit.json records ${audit.records}`);
    if (rejected !== rej.length) v('books', `audit: stderr says rejected ${rejected}, rejects file has ${rej.length}`);
    if (dropped !== drop.length) v('books', `audit: stderr says dropped ${dropped}, dropped file has ${drop.length}`);
  }
  return { files: [...files.values()], read: totals ? Number(totals[1]) : undefined, kept: audit.records, rejected: rej.length, dropped: drop.length, reasons: countBy(rej, (x) => x.rec.reason) };
}

const countBy = (rows, key) => rows.reduce((m, x) => ((m[key(x)] = (m[key(x)] ?? 0) + 1), m), {});

/**
 * Conservation and "exactly once": per file, read = kept + rejected + dropped; every (source, index) is in one
 * output only, once; the number of distinct records per file equals `read`; `read` matches the corpus writer.
 */
function checkBooks({ name, files, summary, kept, rej, drop, v, perRecordKept }) {
  const byPath = new Map();
  for (const f of summary.files ?? []) {
    if (byPath.has(f.path)) v(name, 'summary', `file listed twice in the summary: ${f.path}`);
    byPath.set(f.path, f);
  }
  const inputs = new Set(files.map((f) => f.path));
  for (const p of byPath.keys()) if (!inputs.has(p)) v(name, 'summary', `summary lists a file that is not an input: ${p}`);
  // where[source][index] = the outputs that hold that record
  const where = new Map();
  const place = (kind, rows) => {
    for (const { rec } of rows) {
      if (!inputs.has(rec?.source)) {
        v(name, 'phantom', `${kind} record with source ${JSON.stringify(rec?.source)} not an input`);
        continue;
      }
      if (!Number.isInteger(rec.index) || rec.index < 0) v(name, 'index', `${kind} record with index ${rec.index}`, rec.source);
      const m = where.get(rec.source) ?? where.set(rec.source, new Map()).get(rec.source);
      const key = rec.index;
      m.set(key, [...(m.get(key) ?? []), kind]);
    }
  };
  place('kept', kept);
  place('rejected', rej);
  place('dropped', drop);
  const stats = { files: 0, conserved: 0, exact: 0 };
  for (const f of files) {
    stats.files++;
    const s = byPath.get(f.path);
    if (!s) {
      v(name, 'summary', `input file missing from the summary (${f.kind}, ${f.written} records written)`, f.path);
      continue;
    }
    if (s.read !== s.kept + s.rejected + s.dropped) v(name, 'conservation', `read ${s.read} != kept ${s.kept} + rejected ${s.rejected} + dropped ${s.dropped}`, f.path);
    else stats.conserved++;
    const e = f.expect;
    if (e.exact !== undefined && s.read !== e.exact) v(name, 'read_count', `${f.kind}: read ${s.read}, the writer put ${e.exact} records there`, f.path);
    else if (e.exact !== undefined) stats.exact++;
    if (e.min !== undefined && s.read < e.min) v(name, 'read_count', `${f.kind}: read ${s.read} < ${e.min} records recoverable before the damage`, f.path);
    if (e.max !== undefined && s.read > e.max) v(name, 'read_count', `${f.kind}: read ${s.read} > ${e.max}`, f.path);
    const m = where.get(f.path) ?? new Map();
    let twice = 0;
    let mixed = 0;
    let example;
    const per = { kept: 0, rejected: 0, dropped: 0 };
    for (const [idx, kinds] of m) {
      const distinct = new Set(kinds);
      for (const k of distinct) per[k]++;
      if (distinct.size > 1) {
        mixed++;
        example ??= `index ${idx}: ${kinds.join(' + ')}`;
      } else if (kinds.length > 1 && !(kinds[0] === 'kept' && !perRecordKept)) {
        twice++;
        example ??= `index ${idx}: ${kinds.join(' + ')}`;
      }
    }
    if (mixed) v(name, 'exactly_once', `${mixed} records are in more than one output (e.g. ${example})`, f.path);
    if (twice) v(name, 'exactly_once', `${twice} records appear twice in one output (e.g. ${example})`, f.path);
    if (per.rejected !== s.rejected) v(name, 'books', `summary rejected ${s.rejected}, rejects file holds ${per.rejected} distinct records of this file`, f.path);
    if (per.dropped !== s.dropped) v(name, 'books', `summary dropped ${s.dropped}, dropped file holds ${per.dropped} distinct records of this file`, f.path);
    if (perRecordKept && per.kept !== s.kept) v(name, 'books', `summary kept ${s.kept}, output holds ${per.kept} distinct records of this file`, f.path);
    if (perRecordKept && m.size !== s.read) v(name, 'exactly_once', `read ${s.read} but ${m.size} distinct (source, index) across kept, rejects and dropped`, f.path);
    if (!perRecordKept && per.rejected + per.dropped + s.kept !== s.read) v(name, 'exactly_once', `read ${s.read} != kept ${s.kept} + ${per.rejected} distinct rejects + ${per.dropped} distinct drops`, f.path);
    for (const reason of e.reasons ?? []) {
      const has = rej.some((x) => x.rec.source === f.path && x.rec.reason === reason);
      if (!has) v(name, 'reason', `${f.kind}: expected a ${reason} reject for this file; reasons seen: ${JSON.stringify(countBy(rej.filter((x) => x.rec.source === f.path), (x) => x.rec.reason))}`, f.path);
    }
  }
  return stats;
}

/** What `convert` keeps must be sound, whatever container it came from. */
function checkKept({ files, kept, v }) {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const counts = new Map();
  const bump = (check, f, detail) => {
    const key = `${check}|${f.path}`;
    const c = counts.get(key) ?? counts.set(key, { check, f, n: 0, detail }).get(key);
    c.n++;
  };
  for (const { rec, line } of kept) {
    // Output-level: no kept string (or key) anywhere holds a lone surrogate: it cannot round-trip through UTF-8.
    if (/\\ud[89a-f][0-9a-f]{2}/i.test(line) && deepStrings(rec).some(hasLoneSurrogate)) bump('kept_lone_surrogate', byPath.get(rec.source) ?? { path: rec.source, kind: '?' }, `index ${rec.index}: ${line.slice(0, 160)}`);
    const f = byPath.get(rec.source);
    const note = f?.notes?.get(rec.index);
    if (!note || note.merged) continue;
    const ins = note.inspect;
    if (ins.depth > 100) bump('kept_too_deep', f, `index ${rec.index} nests ${ins.depth} deep (--max-depth 100)`);
    if (ins.nonFinite) bump('kept_non_finite', f, `index ${rec.index}: ${line.slice(0, 160)}`);
    for (const b of note.big) {
      if (b.at === 'id' && rec.id !== b.text) bump('number_changed', f, `index ${rec.index}: id ${b.text} became ${JSON.stringify(rec.id)}`);
      if (b.at === 'meta' && !new RegExp(`(^|[^0-9])${b.text.replace('-', '\\-')}([^0-9]|$)`).test(line)) bump('number_changed', f, `index ${rec.index}: ${b.text} in meta became ${JSON.stringify(rec.meta?.fuzz_num)}`);
    }
    // From the record's final bytes (a later mutation may have renamed or dropped the key the mutator added).
    const proto = (ins.topKeys ?? []).includes('__proto__');
    if (proto && !(rec.meta && Object.hasOwn(rec.meta, '__proto__'))) bump('key_dropped', f, `index ${rec.index}: top-level "__proto__" is not in meta (${JSON.stringify(Object.keys(rec.meta ?? {}))})`);
  }
  for (const c of counts.values()) v(c.check, `${c.f.kind}: ${c.n} kept record(s); e.g. ${c.detail}`, c.f.path);
}

function deepStrings(value) {
  const out = [];
  const stack = [value];
  while (stack.length) {
    const n = stack.pop();
    if (typeof n === 'string') out.push(n);
    else if (n && typeof n === 'object') for (const k of Object.keys(n)) {
      out.push(k);
      stack.push(n[k]);
    }
  }
  return out;
}

/** The same records through validate, convert and audit: the same files, the same reads, the same rejects. */
function crossCheck(results, violations) {
  const a = results.validate?.summary;
  const b = results.convert?.summary;
  if (a && b && a.read !== b.read) violations.push({ command: 'validate/convert', check: 'cross', detail: `validate read ${a.read}, convert read ${b.read}` });
  if (a && b && a.rejected !== b.rejected) violations.push({ command: 'validate/convert', check: 'cross', detail: `validate rejected ${a.rejected}, convert rejected ${b.rejected}` });
  if (a && b && a.kept !== b.kept + b.dropped) violations.push({ command: 'validate/convert', check: 'cross', detail: `validate kept ${a.kept}, convert kept ${b.kept} + dropped (duplicates) ${b.dropped}` });
  const c = results.audit?.summary;
  if (a && c && a.read !== c.read) violations.push({ command: 'validate/audit', check: 'cross', detail: `validate read ${a.read}, audit read ${c.read}` });
  const d = results.pairs?.summary;
  if (a && d && a.read !== d.read) violations.push({ command: 'validate/pairs', check: 'cross', detail: `validate read ${a.read}, pairs read ${d.read}` });
}
