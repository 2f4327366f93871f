// Generates one SFT file from its spec: unique good records, planted warnings, deliberate bad
// records, and a tally that the README table is written from.
import { makeRng, seedFor } from './rng.mjs';
import { contentKey, assertClean, DEFECTS, PLANTS } from './internal.mjs';
import { assemble, RAW_BAD, notObject } from './assemble.mjs';
import { shingles, NEAR_LIMIT } from './near.mjs';
import { plantCuration } from './curation.mjs';

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;
const EMOJI = /\p{Extended_Pictographic}/u;

/**
 * A conversation no earlier one has: not byte for byte (`seen`), and, for a good record, not nearly either: its
 * word 5-grams stay under NEAR_LIMIT Jaccard of every earlier good record in any file (`near`), so the default
 * pipeline's near_dedup drops only the planted near-duplicates.
 */
function fresh(r, spec, seen, near, good = true) {
  for (let attempt = 0; attempt < 2000; attempt++) {
    const c = spec.make(r);
    const key = contentKey(c);
    if (seen.has(key)) continue;
    const s = good ? shingles(c) : undefined;
    if (s && near.best(s) >= NEAR_LIMIT) continue;
    assertClean(c, spec.file);
    seen.add(key);
    if (s) near.add(s);
    return c;
  }
  throw new Error(`${spec.file}: could not find a unique conversation; widen the templates`);
}

function describe(c) {
  const all = [c.system ?? '', ...c.messages.map((m) => m.content ?? ''), ...c.messages.flatMap((m) => m.results?.map((x) => JSON.stringify(x.content)) ?? [])].join('\n');
  const calls = c.messages.flatMap((m) => m.calls ?? []);
  return {
    with_system: c.system !== undefined || c.tools !== undefined,
    user_turns: c.messages.filter((m) => m.role === 'user').length,
    cjk: CJK.test(all), emoji: EMOJI.test(all), code_block: all.includes('```'),
    reasoning: c.messages.some((m) => m.reasoning), calls: calls.length, python_calls: calls.filter((k) => k.form === 'python').length,
    parallel: c.messages.some((m) => m.calls?.length > 1),
  };
}

/** Returns { spec, text (file body as string), records, good (internal convs), stats }. */
export function buildSftFile(spec, seen, near) {
  const r = makeRng(seedFor(spec.file));
  const convs = Array.from({ length: spec.count }, () => fresh(r, spec, seen, near));
  const warnAt = new Map();
  const slots = r.sample([...convs.keys()], Object.values(spec.warn).reduce((a, b) => a + b, 0));
  for (const [kind, n] of Object.entries(spec.warn)) for (let i = 0; i < n; i++) warnAt.set(slots.shift(), kind);
  const good = convs.map((c, i) => {
    const w = warnAt.get(i);
    const conv = w ? PLANTS[w](c, r, spec.placeholderWhere) : c;
    return { conv, warn: w, text: JSON.stringify(spec.write(conv, r)) };
  });
  const bad = [];
  for (const [kind, n] of Object.entries(spec.bad)) {
    if (kind === 'duplicate') continue;
    for (let i = 0; i < n; i++) {
      if (kind === 'not_object') { bad.push({ kind, text: notObject(r) }); continue; }
      const c = fresh(r, spec, seen, near, false);
      const text = RAW_BAD[kind] ? RAW_BAD[kind](spec.write(c, r), r) : JSON.stringify(spec.write(DEFECTS[kind](c, r), r));
      bad.push({ kind, text });
    }
  }
  const records = assemble(r, { good, bad, dupCount: spec.bad.duplicate ?? 0 });
  // Curation plants draw from their own stream, so the records above do not depend on them.
  const r2 = makeRng(seedFor(`${spec.file}:curation`));
  const curation = plantCuration(spec, records, r2, (isGood) => fresh(r2, spec, seen, near, isGood));
  const eol = spec.crlf ? '\r\n' : '\n';
  const body = spec.array ? `[\n${records.map((x) => x.text).join(',\n')}\n]\n` : records.map((x) => x.text).join(eol) + eol;
  const stats = { records: records.length, good: records.filter((x) => x.kind === 'good').length, bad: {}, warn: {}, extra: {} };
  for (const x of records) if (x.kind !== 'good') stats.bad[x.kind] = (stats.bad[x.kind] ?? 0) + 1;
  for (const g of good) if (g.warn) stats.warn[g.warn] = (stats.warn[g.warn] ?? 0) + 1;
  for (const [k, n] of Object.entries(curation.warn)) stats.warn[k] = (stats.warn[k] ?? 0) + n;
  if (Object.values(curation.evidence).some((l) => l.length)) stats.curation = Object.fromEntries(Object.entries(curation.evidence).filter(([, l]) => l.length));
  const d = records.filter((x) => x.kind === 'good' && x.conv).map((x) => describe(x.conv));
  const sum = (f) => d.filter(f).length;
  stats.extra = {
    with_system: sum((x) => x.with_system), multi_turn: sum((x) => x.user_turns > 1), max_user_turns: Math.max(...d.map((x) => x.user_turns)),
    cjk: sum((x) => x.cjk), emoji: sum((x) => x.emoji), code_block: sum((x) => x.code_block), reasoning: sum((x) => x.reasoning),
    tool_calls: d.reduce((s, x) => s + x.calls, 0), python_dict_calls: d.reduce((s, x) => s + x.python_calls, 0), parallel_call_records: sum((x) => x.parallel),
  };
  if (spec.file === 'general.openai.jsonl') stats.extra.content_as_parts = records.filter((x) => x.kind === 'good' && x.text.includes('"content":[{"type":"text"')).length;
  if (spec.file === 'tool_use.openai.jsonl') stats.extra.null_content_call_turns = good.reduce((s, g) => s + g.conv.messages.filter((m) => m.nullContent).length, 0);
  return { spec, body, records, stats };
}
