// General-instruction conversations: many small families whose answers are either hand-written
// (banks) or computed from the question, so every answer fits its question.
import { CONCEPTS, DIFFERENCES } from './banks-concepts.mjs';
import { TIPS, PHRASES, GRAMMAR, COUNTRIES, CITIES, PET_NAMES, FIRST_NAMES, WORDS } from './banks-everyday.mjs';

export const GENERAL_SYSTEMS = [
  'You are a helpful assistant.',
  'You are a friendly, concise assistant. Keep answers short unless asked for detail.',
  'You are Hermes, a helpful AI assistant. Answer clearly and honestly.',
  'You are a patient tutor who explains things in plain language.',
  'You are an assistant that answers accurately and admits uncertainty when appropriate.',
];

const cap = (s) => s[0].toUpperCase() + s.slice(1);
const strip = (s) => s.replace(/^(a|an|the) /, '');

function explain(r) {
  const [name, text, example] = r.pick(CONCEPTS);
  const ask = r.pick([
    `Can you explain ${name} in simple terms?`, `What is ${name}?`, `ELI5: ${name}`,
    `I keep hearing about ${name}. What does it actually mean?`, `Explain ${name} like I'm ten years old.`,
    `Give me a short explanation of ${name} with an example.`, `how would you describe ${name} to a beginner`,
    `Quick question: what's ${name}?`,
  ]);
  const withEx = r.chance(0.6) || /example/.test(ask);
  const answer = withEx ? `${text}\n\nFor example: ${example}` : text;
  return { topic: strip(name), learn: true, exchanges: [[ask, answer]] };
}

function tips(r) {
  const [activity, ...all] = r.pick(TIPS);
  const n = r.int(3, 5);
  const ask = r.pick([`Give me ${n} tips for ${activity}.`, `What are ${n} practical tips for ${activity}?`,
    `I need advice on ${activity}. Can you list ${n} things that help?`, `Top ${n} tips for ${activity}, please.`]);
  const chosen = r.sample(all, n);
  const emoji = r.chance(0.08) ? ' ✨' : '';
  const intro = r.pick([`Here are ${n} tips for ${activity}:`, `Sure! ${n} things that help with ${activity}:`, `Happy to help.${emoji} Try these:`]);
  const outro = r.pick(['', '\n\nStart with one or two and add more once they become habits.', '\n\nSmall, consistent changes usually work better than big overhauls.']);
  return { topic: activity, learn: true, exchanges: [[ask, `${intro}\n\n${chosen.map((t, i) => `${i + 1}. ${t}`).join('\n')}${outro}`]] };
}

function difference(r) {
  const [a, b, text] = r.pick(DIFFERENCES);
  const [x, y] = r.chance(0.5) ? [a, b] : [b, a];
  const ask = r.pick([`What's the difference between ${x} and ${y}?`, `How is ${x} different from ${y}?`,
    `${cap(x)} vs ${y}: what sets them apart?`, `I always mix up ${x} and ${y}. Can you clarify?`]);
  return { topic: `${strip(a)} and ${strip(b)}`, learn: true, exchanges: [[ask, text]] };
}

function translate(r) {
  const [phrase, tr] = r.pick(PHRASES);
  const lang = r.pick(Object.keys(tr));
  const ask = r.pick([`How do you say "${phrase}" in ${lang}?`, `Translate "${phrase}" into ${lang}.`,
    `What's "${phrase}" in ${lang}?`, `Can you translate this to ${lang}: ${phrase}`]);
  const note = { Japanese: ' This is the polite form, which is safe to use with strangers.', Korean: ' This is a polite form suitable for most situations.', Chinese: ' This is Mandarin in simplified characters.' }[lang] ?? '';
  return { topic: `${lang} phrases`, exchanges: [[ask, `In ${lang}, "${phrase}" is: ${tr[lang]}${note}`]] };
}

function grammar(r) {
  const [bad, good, why] = r.pick(GRAMMAR);
  const ask = r.pick([`Fix the grammar: ${bad}`, `Can you correct this sentence? "${bad}"`,
    `Is this sentence correct? ${bad}`, `Proofread this for me: ${bad}`]);
  return { topic: 'grammar', exchanges: [[ask, `Corrected: "${good}"\n\n${why}`]] };
}

function capital(r) {
  const [country, city, fact] = r.pick(COUNTRIES);
  const ask = r.pick([`What is the capital of ${country}?`, `capital of ${country}?`, `Which city is the capital of ${country}?`, `Remind me, what's ${country}'s capital city?`]);
  return { topic: `${country}`, learn: true, exchanges: [[ask, `The capital of ${country} is ${city}. ${fact}`]] };
}

function itinerary(r) {
  const [city, ...spots] = r.pick(CITIES);
  const days = r.int(2, 3);
  const plan = r.sample(spots, days * 2);
  const ask = r.pick([`Plan a ${days}-day trip to ${city} for me.`, `I have ${days} days in ${city}. What should I do?`, `Suggest a ${days}-day itinerary for ${city}.`]);
  // Evening activities go second in a day, so the plan reads in time order.
  const late = (s) => /evening|sunset|fado|tango/.test(s);
  const lines = Array.from({ length: days }, (_, d) => {
    let [a, b] = [plan[d * 2], plan[d * 2 + 1]];
    if (late(a) && !late(b)) [a, b] = [b, a];
    return `Day ${d + 1}: ${cap(a)}, and later ${b}.`;
  });
  return { topic: `travel in ${city}`, learn: true, exchanges: [[ask, `Here is a relaxed ${days}-day plan for ${city}:\n\n${lines.join('\n')}\n\nLeave some time unplanned; the best moments often come from wandering.`]] };
}

function sortWords(r) {
  const words = r.sample(WORDS, r.int(5, 8));
  const ask = r.pick(['Sort these words alphabetically: ', 'Put these in alphabetical order: ', 'Alphabetize: ']) + words.join(', ');
  const sorted = [...words].sort();
  return { topic: 'word lists', exchanges: [[ask, r.chance(0.5) ? sorted.join(', ') : `Here they are in alphabetical order:\n\n${sorted.map((w) => `- ${w}`).join('\n')}`]] };
}

function arrival(r) {
  const h = r.int(6, 15), m = r.pick([0, 5, 10, 15, 20, 30, 40, 45, 50]);
  const dh = r.int(1, 5), dm = r.pick([5, 15, 20, 25, 35, 40, 50]);
  const total = h * 60 + m + dh * 60 + dm;
  const t = (x) => `${Math.floor(x / 60) % 24}:${String(x % 60).padStart(2, '0')}`;
  const ask = `If I leave at ${t(h * 60 + m)} and the journey takes ${dh} hours and ${dm} minutes, what time do I arrive?`;
  return { topic: 'travel times', exchanges: [[ask, `You would arrive at ${t(total)}. Adding ${dh} hours to ${t(h * 60 + m)} gives ${t(h * 60 + m + dh * 60)}, and ${dm} more minutes brings it to ${t(total)}.`]] };
}

function petNames(r) {
  const kind = r.pick(Object.keys(PET_NAMES));
  const trait = r.pick(['very playful', 'shy', 'tiny', 'always hungry', 'a bit grumpy', 'very curious', 'calm and sleepy']);
  const names = r.sample(PET_NAMES[kind], 5);
  const ask = `I just got a ${kind} who is ${trait}. Can you suggest some names?`;
  const cute = r.chance(0.25) ? ' 🐾' : '';
  return { topic: `${kind} names`, exchanges: [[ask, `Congratulations on your new ${kind}!${cute} A few ideas: ${names.join(', ')}. Try saying them out loud and see which one your ${kind} responds to.`]] };
}

function wordCount(r) {
  const words = r.sample(WORDS, r.int(4, 9));
  const sentence = cap(words.join(' ')) + '.';
  return { topic: 'counting', exchanges: [[`How many words are in this sentence: "${sentence}"`, `That sentence has ${words.length} words.`]] };
}

function thankYou(r) {
  const who = r.pick(FIRST_NAMES);
  const what = r.pick(['helping me move flats', 'covering my shift', 'the birthday gift', 'looking after my cat', 'reviewing my essay', 'the dinner invitation']);
  const ask = `Write a short thank-you message to ${who} for ${what}.`;
  const body = r.pick([`Hi ${who}, thank you so much for ${what}. It meant a lot to me, and I owe you one!`, `Dear ${who}, I just wanted to say thanks for ${what}. I really appreciate your kindness.`, `${who}, a huge thank you for ${what}! You made my week.`]);
  return { topic: 'messages', exchanges: [[ask, r.chance(0.15) ? `${body} 🙏` : body]] };
}

const FAMILIES = [[explain, 18], [tips, 16], [difference, 10], [translate, 6], [grammar, 8], [capital, 8], [itinerary, 8], [sortWords, 5], [arrival, 6], [petNames, 5], [wordCount, 4], [thankYou, 6]];

export function pickWeighted(r, families) {
  const total = families.reduce((s, [, w]) => s + w, 0);
  let x = r.next() * total;
  for (const [f, w] of families) if ((x -= w) < 0) return f;
  return families[families.length - 1][0];
}

export const generalConversation = (r) => pickWeighted(r, FAMILIES)(r);
