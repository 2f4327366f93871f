// Generic follow-up turns that can be answered from the previous answer alone, so multi-turn
// conversations stay coherent without hand-writing every second turn.
const sentences = (text) => text.split(/(?<=[.!?])\s+/).filter(Boolean);
const plain = (text) => !text.includes('\n') && !text.includes('```') && sentences(text).length >= 2;

const FOLLOWUPS = [
  { ok: plain, ask: (r) => r.pick(['Can you sum that up in one sentence?', 'TL;DR?', 'Shorter version please.']), answer: (prev) => sentences(prev)[0] },
  { ok: plain, ask: (r) => r.pick(['Could you put that as bullet points?', 'Make that a bulleted list.']), answer: (prev) => sentences(prev).map((s) => `- ${s}`).join('\n') },
  { ok: () => true, ask: (r) => r.pick(['Thanks, that helps!', 'Great, thank you.', 'Perfect, thanks!', 'ok got it, thanks']), answer: (_p, r) => r.pick(["You're welcome! Let me know if anything else comes up.", 'Glad it helped. Feel free to ask a follow-up any time.', 'Happy to help!']) },
  { ok: (_p, conv) => conv.learn === true, ask: (r, topic) => r.pick([`Where can I learn more about ${topic}?`, `What should I read next about ${topic}?`]), answer: (_p, r, topic) => r.pick([`A good next step is an introductory book or a free online course on ${topic}. Reference sites and public library guides are also reliable starting points, and reading two different sources helps you spot gaps.`, `Start with an overview from a reputable encyclopedia or a university's public course notes on ${topic}, then move on to a beginner book. Writing a short summary of what you read is a good way to check your understanding.`]) },
];

/** Appends up to `extra` follow-up exchanges to a conversation, choosing ones that fit. */
export function addFollowups(r, conv, extra) {
  const used = new Set();
  for (let i = 0; i < extra; i++) {
    const prev = conv.exchanges[conv.exchanges.length - 1][1];
    // A "thanks" turn closes the conversation, so it is only allowed last; nothing repeats.
    const fits = FOLLOWUPS.filter((f, k) => !used.has(k) && f.ok(prev, conv) && (k !== 2 || i === extra - 1));
    if (fits.length === 0) break;
    const f = r.pick(fits);
    used.add(FOLLOWUPS.indexOf(f));
    conv.exchanges.push([f.ask(r, conv.topic ?? 'this topic'), f.answer(prev, r, conv.topic ?? 'this topic')]);
  }
  return conv;
}

/** Number of user turns: mostly 1, sometimes up to 4. */
export const turnCount = (r) => { const x = r.next(); return x < 0.7 ? 1 : x < 0.88 ? 2 : x < 0.96 ? 3 : 4; };
