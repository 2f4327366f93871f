// Preference files for the DPO/KTO stage. Good answers come from the SFT generators; rejected ones
// from `degrade`. Every deliberate defect is counted in the returned stats.
import { makeRng, seedFor } from './rng.mjs';
import { generalConversation } from './general.mjs';
import { expertConversation } from './expert.mjs';
import { mathProblem, userText } from './math.mjs';
import { addFollowups } from './followups.mjs';
import { degrade } from './degrade.mjs';

function single(r) {
  const x = r.next();
  if (x < 0.3) { const p = mathProblem(r); return { user: userText(p), answer: p.answer, math: true }; }
  const g = x < 0.5 ? expertConversation(r) : generalConversation(r);
  return { system: g.system, user: g.exchanges[0][0], answer: g.exchanges[0][1] };
}

function unique(r, seen, make) {
  for (let i = 0; i < 500; i++) { const v = make(r); const k = JSON.stringify(v); if (!seen.has(k)) { seen.add(k); return v; } }
  throw new Error('preference: could not find a unique prompt');
}

const msg = (role, content) => ({ role, content });
const tally = (stats, kind) => { stats.bad[kind] = (stats.bad[kind] ?? 0) + 1; };
/** Spreads `n` defect slots over `count` records deterministically. */
const slots = (r, count, plan) => { const idx = r.sample([...Array(count).keys()], Object.values(plan).reduce((a, b) => a + b, 0)); const m = new Map(); for (const [k, n] of Object.entries(plan)) for (let i = 0; i < n; i++) m.set(idx.shift(), k); return m; };

function explicit(seen) {
  const r = makeRng(seedFor('explicit.trl.jsonl')); const stats = { bad: {}, extra: {} };
  const defects = slots(r, 200, { identical_chosen_rejected: 2, empty_chosen: 1, empty_rejected: 1 });
  const lines = Array.from({ length: 200 }, (_, i) => {
    const p = unique(r, seen, single), other = single(r);
    const rej = degrade(r, p.answer, other.answer, { prefer: p.math ? 'wrong_number' : undefined });
    stats.extra[`rejected_${rej.strategy}`] = (stats.extra[`rejected_${rej.strategy}`] ?? 0) + 1;
    const kind = defects.get(i);
    let chosen = p.answer, rejected = rej.text;
    if (kind === 'identical_chosen_rejected') rejected = chosen;
    if (kind === 'empty_chosen') chosen = '';
    if (kind === 'empty_rejected') rejected = '';
    if (kind) tally(stats, kind);
    const prompt = [...(p.system ? [msg('system', p.system)] : []), msg('user', p.user)];
    return JSON.stringify({ prompt, chosen: [msg('assistant', chosen)], rejected: [msg('assistant', rejected)] });
  });
  return { file: 'explicit.trl.jsonl', lines, stats };
}

/** A general conversation with 2-3 user turns (retries until follow-ups fit). */
function multiTurn(r) {
  for (;;) {
    const g = generalConversation(r);
    addFollowups(r, g, r.int(1, 2));
    if (g.exchanges.length >= 2) return g;
  }
}

function implicit(seen) {
  const r = makeRng(seedFor('implicit.trl.jsonl')); const stats = { bad: {}, extra: {} };
  const defects = slots(r, 100, { identical_chosen_rejected: 1, prompt_mismatch: 2, empty_rejected: 1 });
  const lines = Array.from({ length: 100 }, (_, i) => {
    const g = unique(r, seen, multiTurn);
    const conv = g.exchanges.flatMap(([u, a]) => [msg('user', u), msg('assistant', a)]);
    const last = conv[conv.length - 1].content;
    const rej = degrade(r, last, single(r).answer);
    const rejected = [...conv.slice(0, -1).map((m) => ({ ...m })), msg('assistant', rej.text)];
    const kind = defects.get(i);
    if (kind === 'identical_chosen_rejected') rejected[rejected.length - 1].content = last;
    if (kind === 'prompt_mismatch') rejected[0].content = `${rejected[0].content} Please answer in detail.`;
    if (kind === 'empty_rejected') rejected[rejected.length - 1].content = '';
    if (kind) tally(stats, kind);
    stats.extra.turns_total = (stats.extra.turns_total ?? 0) + conv.length;
    return JSON.stringify({ chosen: conv, rejected });
  });
  return { file: 'implicit.trl.jsonl', lines, stats };
}

const hhText = (conv) => conv.map((m) => `\n\n${m.role === 'user' ? 'Human' : 'Assistant'}: ${m.content}`.replace(/: $/, ':')).join('');

function hh(seen) {
  const r = makeRng(seedFor('hh.transcripts.jsonl')); const stats = { bad: {}, extra: {} };
  const defects = slots(r, 100, { prompt_divergence: 3, empty_final_assistant: 2, identical_chosen_rejected: 1 });
  const lines = Array.from({ length: 100 }, (_, i) => {
    const kind = defects.get(i);
    // Divergence must happen before the last turn, so those records are always multi-turn.
    const g = unique(r, seen, (rr) => (kind === 'prompt_divergence' || rr.chance(0.5) ? multiTurn(rr) : generalConversation(rr)));
    const conv = g.exchanges.flatMap(([u, a]) => [msg('user', u.replace(/\n+/g, ' ')), msg('assistant', a.replace(/\n+/g, ' '))]);
    const last = conv[conv.length - 1].content;
    const rej = [...conv.slice(0, -1).map((m) => ({ ...m })), msg('assistant', degrade(r, last, single(r).answer.replace(/\n+/g, ' ')).text)];
    if (kind === 'prompt_divergence') rej[0].content = `${rej[0].content} Actually, never mind, tell me something else.`;
    if (kind === 'empty_final_assistant') rej[rej.length - 1].content = '';
    if (kind === 'identical_chosen_rejected') rej[rej.length - 1].content = last;
    if (kind) tally(stats, kind);
    if (conv.length > 2) stats.extra.multi_turn = (stats.extra.multi_turn ?? 0) + 1;
    return JSON.stringify({ chosen: hhText(conv), rejected: hhText(rej) });
  });
  return { file: 'hh.transcripts.jsonl', lines, stats };
}

function kto(seen) {
  const r = makeRng(seedFor('kto.jsonl')); const stats = { bad: {}, extra: { label_true: 0, label_false: 0 } };
  const defects = slots(r, 50, { empty_response: 1 });
  const lines = Array.from({ length: 50 }, (_, i) => {
    const p = unique(r, seen, single);
    const label = r.chance(0.55);
    let answer = label ? p.answer : degrade(r, p.answer, single(r).answer).text;
    if (defects.get(i)) { answer = ''; tally(stats, 'empty_response'); }
    stats.extra[label ? 'label_true' : 'label_false']++;
    return JSON.stringify({ messages: [msg('user', p.user), msg('assistant', answer)], label });
  });
  return { file: 'kto.jsonl', lines, stats };
}

export { explicit, implicit, hh, kto, single };
