// Makes a worse answer from a good one, for preference pairs. Each strategy is a kind of
// failure human raters actually penalise: wrong numbers, cut-off text, evasion, refusal, off-topic.
const VAGUE = [
  "That's a good question. It really depends on a lot of factors, and different people will tell you different things. You might want to look into it further.",
  'There are many ways to think about this, and no single answer fits everyone. It is best to do some research and decide for yourself.',
  'Hmm, hard to say. It varies.',
];
const REFUSE = ["I'm sorry, but I can't help with that request.", 'As an AI, I am not able to answer that.', "I'd rather not answer this one."];

function wrongNumber(text, r) {
  const nums = [...text.matchAll(/-?\d+(\.\d+)?/g)];
  if (nums.length === 0) return null;
  const m = nums[nums.length - 1];
  const v = Number(m[0]);
  const bad = r.pick([v + r.int(1, 9), v * 10, v - r.int(1, 5), Math.round(v / 2)]);
  if (bad === v) return null;
  return text.slice(0, m.index) + String(bad) + text.slice(m.index + m[0].length);
}

function truncate(text, r) {
  const cut = Math.floor(text.length * (0.3 + r.next() * 0.25));
  const at = text.lastIndexOf(' ', cut);
  return at > 10 ? text.slice(0, at) : null;
}

/** Returns { text, strategy }; `other` is a good answer to a different prompt (for off-topic). */
export function degrade(r, good, other, { prefer } = {}) {
  const order = prefer ? [prefer, 'vague', 'truncated', 'refusal', 'off_topic'] : r.shuffle(['wrong_number', 'truncated', 'vague', 'refusal', 'off_topic']);
  for (const s of order) {
    const t = { wrong_number: () => wrongNumber(good, r), truncated: () => truncate(good, r), vague: () => r.pick(VAGUE), refusal: () => r.pick(REFUSE), off_topic: () => other }[s]();
    if (t && t !== good && t.trim() === t) return { text: t, strategy: s };
  }
  return { text: r.pick(VAGUE), strategy: 'vague' };
}
