// Plants the cases the curation stages of the default pipeline must find, after a file's other records are
// placed, with their own random stream: near-duplicates at known edit rates (and edited copies far enough to be
// kept), benchmark leaks, refusals, self-references, JSON-mode answers that break their schema, tool calls whose
// arguments break the tool's schema, and a tool result naming no call. Every plant is tallied.
import { shingles, jaccard } from './near.mjs';
import { BENCHMARK_ITEMS } from './benchmark.mjs';

const clone = (c) => structuredClone(c);
const SWAPS = ['notably', 'roughly', 'simply', 'mostly', 'briefly', 'largely', 'plainly', 'fairly', 'usually', 'clearly'];
const REFUSALS = [
  "I'm sorry, but I can't help with that request.",
  "I'm sorry, but I cannot write that for you.",
  'I cannot fulfill this request, because it asks for private information about a real person.',
  "I'm sorry, but I can't assist with creating that kind of content.",
];
const SELF_REFERENCES = ["As an AI language model, I don't have personal preferences, but here is what I would suggest.", 'As an AI language model, I cannot browse the internet, but I can explain the general idea.'];
const LEADS = ['I found this in a worksheet:', 'Can you help me with this one?', 'Quick question from my study group:', 'Please work through this:'];

const wordCount = (c) => c.messages.filter((m) => m.role === 'user' || m.role === 'assistant').reduce((n, m) => n + (m.content ?? '').split(/\s+/).filter(Boolean).length, 0);

/** Replace `rate` of the words of the assistant turns (at least one) with other words. */
function edit(c, rate, r) {
  const d = clone(c);
  const slots = [];
  d.messages.forEach((m, i) => { if (m.role === 'assistant' && !m.calls) m.content.split(' ').forEach((w, j) => { if (/^[a-z]{4,}$/.test(w)) slots.push([i, j]); }); });
  const k = Math.max(1, Math.round(rate * wordCount(c)));
  if (slots.length < k) return null;
  const parts = new Map();
  for (const [i, j] of r.sample(slots, k)) {
    const words = parts.get(i) ?? d.messages[i].content.split(' ');
    words[j] = r.pick(SWAPS.filter((s) => s !== words[j]));
    parts.set(i, words);
  }
  for (const [i, words] of parts) d.messages[i].content = words.join(' ');
  return { conv: d, edits: k };
}

const firstUser = (c) => c.messages.find((m) => m.role === 'user');
const lastAnswer = (c) => c.messages.findLast((m) => m.role === 'assistant' && !m.calls);

/** The schema a JSON-mode conversation's system prompt gives, moved into a Hermes `<schema>` block. */
function schemaBlock(c) {
  const schema = c.system.slice(c.system.indexOf('{')).replace('</schema>', '').trim();
  return { ...clone(c), system: `Respond only with a valid JSON object that conforms to the following schema. Do not add any other text.\n<schema>\n${schema}\n</schema>`, schema: JSON.parse(schema) };
}

export const BAD_PLANTS = {
  json_mode_schema_violation: (c, r) => {
    const d = schemaBlock(c);
    const a = lastAnswer(d);
    const value = JSON.parse(a.content);
    const key = r.pick(d.schema.required);
    if (r.chance(0.5)) delete value[key];
    else value[key] = typeof value[key] === 'string' ? value[key].length : String(value[key]);
    a.content = JSON.stringify(value);
    delete d.schema;
    return d;
  },
  json_mode_invalid_json: (c, r) => {
    const d = schemaBlock(c);
    delete d.schema;
    const a = lastAnswer(d);
    a.content = `${r.pick(['Sure! Here is the JSON you asked for:', 'Here you go:'])}\n${a.content}`;
    return d;
  },
  tool_arguments_invalid: (c) => {
    const d = clone(c);
    const call = d.messages.find((m) => m.calls).calls[0];
    const params = d.tools.find((t) => t.function.name === call.name).function.parameters;
    const key = params.required[0];
    call.arguments = { ...call.arguments, [key]: params.properties[key].type === 'string' ? 12345 : 'a lot' };
    return d;
  },
  tool_response_name_mismatch: (c) => {
    const d = clone(c);
    const res = d.messages.find((m) => m.results);
    res.results[0].name = `${res.results[0].name}_status`;
    return d;
  },
  refusal: (c, r) => { const d = clone(c); lastAnswer(d).content = r.pick(REFUSALS); return d; },
};

/**
 * Adds the plants of `spec.curation` to `records` (the file's placed records, good ones carrying `conv`).
 * `fresh(good)` makes a new unique conversation. Returns the tallies and the evidence the manifest keeps.
 */
export function plantCuration(spec, records, r, fresh) {
  const plan = spec.curation ?? {};
  const bad = {};
  const warn = {};
  const evidence = { near_duplicates: [], near_copies_kept: [], benchmark_leaks: [] };
  const write = (conv) => JSON.stringify(spec.write(conv, r));
  const insertAfter = (at, rec) => records.splice(r.int(at + 1, records.length), 0, rec);
  const texts = new Map();
  for (const x of records) texts.set(x.text, (texts.get(x.text) ?? 0) + 1);
  const used = new Set();
  // A source must be a plain good record that is not copied elsewhere (an exact-duplicate plant) or used already.
  const sources = () => records.map((x, i) => (x.kind === 'good' && !x.warn && x.conv && texts.get(x.text) === 1 && !used.has(x.text) ? i : -1)).filter((i) => i >= 0);

  for (const [kind, rates] of [['near_duplicate', plan.near_duplicate ?? []], ['near_copy_kept', plan.near_copy_kept ?? []]]) {
    for (const rate of rates) {
      for (let attempt = 0; ; attempt++) {
        if (attempt > 200) throw new Error(`${spec.file}: no source for a ${kind} at edit rate ${rate}`);
        const at = r.pick(sources());
        const src = records[at];
        if (wordCount(src.conv) < 120) continue;
        const e = edit(src.conv, rate, r);
        if (!e) continue;
        const j = jaccard(shingles(src.conv), shingles(e.conv));
        // Dropped copies sit well above near_dedup's 0.8, kept ones well below it.
        if (kind === 'near_duplicate' ? j < 0.85 || j === 1 : j > 0.5) continue;
        used.add(src.text);
        const text = write(e.conv);
        if (kind === 'near_duplicate') {
          insertAfter(at, { text, kind });
          bad.near_duplicate = (bad.near_duplicate ?? 0) + 1;
        } else {
          insertAfter(at, { text, kind: 'good', conv: e.conv });
        }
        evidence[kind === 'near_duplicate' ? 'near_duplicates' : 'near_copies_kept'].push({ edit_rate: rate, edits: e.edits, jaccard: Number(j.toFixed(4)), source_text: src.text, text });
        break;
      }
    }
  }

  for (let i = 0; i < (plan.benchmark_leak ?? []).length; i++) {
    const item = BENCHMARK_ITEMS.findIndex(([id]) => id === plan.benchmark_leak[i]);
    const c = fresh(false);
    const u = firstUser(c);
    const leak = `${r.pick(LEADS)} ${BENCHMARK_ITEMS[item][1]}`;
    u.content = `${leak}\n\n${u.content}`;
    if (u.instr !== undefined) u.instr = `${leak}\n\n${u.instr}`;
    const text = write(c);
    records.splice(r.int(1, records.length), 0, { text, kind: 'benchmark_leak' });
    evidence.benchmark_leaks.push({ benchmark_index: item, benchmark_id: BENCHMARK_ITEMS[item][0], text });
    bad.benchmark_leak = (bad.benchmark_leak ?? 0) + 1;
  }

  for (const kind of Object.keys(BAD_PLANTS)) {
    for (let i = 0; i < (plan[kind] ?? 0); i++) {
      records.splice(r.int(1, records.length), 0, { text: write(BAD_PLANTS[kind](fresh(false), r)), kind });
      bad[kind] = (bad[kind] ?? 0) + 1;
    }
  }

  // Self-references are warnings: the record stays good.
  for (let i = 0; i < (plan.model_self_reference ?? 0); i++) {
    const at = r.pick(sources());
    const x = records[at];
    used.add(x.text);
    const c = clone(x.conv);
    const a = c.messages.find((m) => m.role === 'assistant' && !m.calls);
    a.content = `${r.pick(SELF_REFERENCES)} ${a.content}`;
    records[at] = { ...x, text: write(c), conv: c, warn: 'model_self_reference' };
    warn.model_self_reference = (warn.model_self_reference ?? 0) + 1;
  }
  for (const list of Object.values(evidence)) for (const e of list) {
    // Where each plant ended up, now that every record is placed.
    e.index = records.findIndex((x) => x.text === e.text);
    if (e.source_text !== undefined) e.source_index = records.findIndex((x) => x.text === e.source_text);
    delete e.text;
    delete e.source_text;
  }
  return { bad, warn, evidence };
}
