// UltraFeedback-style rated completions. Scores are distinct per record unless a tie is planted,
// so the best completion is unambiguous everywhere else.
import { makeRng, seedFor } from './rng.mjs';
import { degrade } from './degrade.mjs';
import { single } from './preference.mjs';

const COUNT = 150;
const rating = (score) => String(Math.min(5, Math.max(1, Math.round(score / 2))));

export function ultrafeedback(seen) {
  const r = makeRng(seedFor('ratings.ultrafeedback.jsonl'));
  const stats = { bad: {}, extra: { string_scores: 0, missing_score: 0, na_score: 0 } };
  const plan = r.sample([...Array(COUNT).keys()], 11);
  const kindAt = new Map([...plan.slice(0, 4).map((i) => [i, 'tie_for_best']), [plan[4], 'all_scores_equal'], ...plan.slice(5, 8).map((i) => [i, 'missing_score']), ...plan.slice(8, 11).map((i) => [i, 'na_score'])]);
  const lines = [];
  for (let i = 0; i < COUNT; i++) {
    let p;
    for (let t = 0; t < 500 && (!p || seen.has(p.user)); t++) p = single(r);
    seen.add(p.user);
    const others = [single(r).answer, single(r).answer];
    const tiers = [[p.answer, r.pick([8, 8.5, 9, 9.5])], [degrade(r, p.answer, others[0]).text, r.pick([6, 6.5, 7])], [degrade(r, p.answer, others[1]).text, r.pick([4, 4.5, 5, 5.5])], [degrade(r, p.answer, others[0], { prefer: 'refusal' }).text, r.pick([1, 2, 3])]];
    const kind = kindAt.get(i);
    if (kind === 'tie_for_best') tiers[1][1] = tiers[0][1];
    if (kind === 'all_scores_equal') for (const t of tiers) t[1] = 5;
    const asString = r.chance(0.2);
    const completions = tiers.map(([response, score], k) => {
      const c = { model: `m${k + 1}`, response, overall_score: asString ? String(score) : score, annotations: { helpfulness: { Rating: rating(score) }, honesty: { Rating: rating(score + 1) } } };
      if (k === 3 && kind === 'missing_score') delete c.overall_score;
      if (k === 3 && kind === 'na_score') { c.overall_score = 'N/A'; c.annotations.helpfulness.Rating = 'N/A'; }
      return c;
    });
    if (asString) stats.extra.string_scores++;
    if (kind) stats.bad[kind] = (stats.bad[kind] ?? 0) + 1;
    // Shuffle so the best answer is not always first, and model names don't reveal the ranking.
    const shuffled = r.shuffle(completions).map((c, k) => ({ ...c, model: `m${k + 1}` }));
    lines.push(JSON.stringify({ prompt: p.user, completions: shuffled }));
  }
  stats.extra.missing_score = stats.bad.missing_score; stats.extra.na_score = stats.bad.na_score;
  delete stats.bad.missing_score; delete stats.bad.na_score;
  return { file: 'ratings.ultrafeedback.jsonl', lines, stats };
}
