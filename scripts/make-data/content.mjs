// Content-generation conversations: product copy, outlines, social posts, poems, taglines.
const PRODUCTS = [
  ['a stainless steel water bottle', 'keeps drinks cold for 24 hours', 'fits standard cup holders', 'has a leak-proof lid', 'is dishwasher safe'],
  ['a pair of noise-cancelling headphones', 'blocks out traffic and office chatter', 'lasts 30 hours on a charge', 'folds flat for travel', 'has a built-in microphone for calls'],
  ['an ergonomic office chair', 'supports the lower back', 'adjusts in height and armrest width', 'uses breathable mesh', 'rolls quietly on hard floors'],
  ['a cast-iron skillet', 'comes pre-seasoned', 'goes from stovetop to oven', 'holds heat evenly', 'will last for generations'],
  ['a smart plant sensor', 'measures soil moisture and light', 'sends reminders to your phone', 'runs for a year on one battery', 'works with any pot size'],
  ['a children\'s rain jacket', 'is fully waterproof', 'has reflective strips for dark mornings', 'packs into its own pocket', 'comes in five bright colours'],
  ['a mechanical keyboard', 'has tactile, quiet switches', 'supports hot-swappable keys', 'connects by cable or Bluetooth', 'has a compact layout'],
  ['a travel backpack', 'opens like a suitcase', 'fits airline carry-on limits', 'has a padded laptop sleeve', 'hides a pocket for your passport'],
];
const TOPICS = ['starting a vegetable garden', 'remote team communication', 'budgeting for students', 'beginner woodworking', 'reducing food waste', 'learning to code as an adult', 'planning a wedding on a budget', 'caring for a senior dog', 'home composting', 'photography with a phone'];
const BUSINESSES = [['a bakery', ['Fresh from our oven to your table', 'Rise and shine with us', 'Baked with patience, served with love', 'Your daily bread, done right', 'Where mornings smell better']], ['a bike repair shop', ['We keep your wheels turning', 'Fixed fast, ridden far', 'Every ride deserves a tune-up', 'Back on the road by tomorrow', 'Small shop, big care']], ['a language school', ['Speak the world', 'Every word opens a door', 'Learn it, live it', 'Conversation starts here', 'Confidence in every language']], ['a dog-walking service', ['Happy tails, every day', 'Walks they wait for', 'Your dog\'s favourite hour', 'Fresh air, wagging tails', 'We walk, they smile']], ['an accounting firm', ['Numbers you can trust', 'Clarity for every balance sheet', 'We count, so you can grow', 'Less paperwork, more progress', 'Your finances, in order']]];
const POEMS = {
  autumn: ['Copper leaves let go,\nthe maple keeps its secrets\nin the cooling air.', 'The orchard empties, one apple at a time,\nand the wind goes door to door\ncollecting what the trees no longer need.'],
  'the sea': ['Salt on the window,\na gull argues with the tide.\nThe tide always wins.', 'The sea keeps no diary,\nbut every shell on the sand\nis a page it tore out and forgot.'],
  'city nights': ['Neon on wet streets,\nthe last bus hums its one song\nto an empty seat.', 'Somewhere above the traffic\na single window stays lit,\nsomeone else who cannot sleep.'],
  'morning coffee': ['Steam curls from the cup,\nthe kitchen wakes before me,\nwarm and unhurried.', 'First sip, and the day\nfolds its list of demands\ninto something I can carry.'],
  mountains: ['Snow on the far ridge,\nthe trail forgets the valley\none bend at a time.', 'The mountain does not notice us,\nwhich is exactly\nwhy we climb it.'],
};

function productCopy(r) {
  const [product, ...feats] = r.pick(PRODUCTS);
  const words = r.pick([50, 60, 80]);
  const f = r.sample(feats, 3);
  const ask = r.pick([`Write a product description for ${product} in about ${words} words.`, `I need catchy product copy for ${product}.`, `Draft an online-shop description for ${product}.`]);
  const name = product.replace(/^(a|an|a pair of) /, '');
  const copy = `Meet the ${name} that works as hard as you do. It ${f[0]}, ${f[1]}, and ${f[2]}. Whether you are heading out early or settling in for a long day, it is built to make life a little easier, and it looks good doing it.`;
  const exchanges = [[ask, copy]];
  if (r.chance(0.3)) exchanges.push([r.pick(['Make it shorter, two sentences max.', 'Can you trim that to two sentences?']), copy.split(/(?<=\.) /).slice(0, 2).join(' ')]);
  return { topic: name, exchanges };
}

function outline(r) {
  const topic = r.pick(TOPICS);
  const ask = r.pick([`Create a blog post outline about ${topic}.`, `Give me an outline for an article on ${topic}.`, `Outline a beginner's guide to ${topic}.`]);
  const sections = r.sample(['Why it matters', 'What you need to get started', 'Common mistakes to avoid', 'A simple step-by-step plan', 'Budget-friendly options', 'Stories from people who tried it', 'How to keep going when motivation dips', 'Resources for going further'], 5);
  return { topic, exchanges: [[ask, `Title: A Practical Guide to ${topic[0].toUpperCase()}${topic.slice(1)}\n\n${sections.map((s, i) => `${i + 1}. ${s}`).join('\n')}\n\nConclusion: a short recap and one action the reader can take today.`]] };
}

function socialPost(r) {
  const [biz, lines] = r.pick(BUSINESSES);
  const event = r.pick(['our grand reopening this Saturday', 'a 20% discount all week', 'our new opening hours', 'a free workshop next Thursday', 'our fifth anniversary']);
  const emoji = r.pick(['🎉', '✨', '📣', '🙌', '']);
  const ask = `Write a short social media post for ${biz} announcing ${event}.`;
  const post = `${emoji ? `${emoji} ` : ''}Big news! Join us for ${event}. ${r.pick(lines)}. See you there!${emoji ? ` ${emoji}` : ''}`;
  return { topic: biz, exchanges: [[ask, post]] };
}

function taglines(r) {
  const [biz, lines] = r.pick(BUSINESSES);
  const n = r.int(3, 5);
  const picked = r.sample(lines, n);
  const exchanges = [[r.pick([`Suggest ${n} taglines for ${biz}.`, `Give me ${n} slogan ideas for ${biz}.`]), picked.map((l) => `- ${l}`).join('\n')]];
  if (r.chance(0.35)) exchanges.push([r.pick(['Which one would you pick?', 'Which is your favourite?']), `I'd go with "${picked[0]}". It is short, easy to remember and says what makes ${biz} worth visiting.`]);
  return { topic: biz, exchanges };
}

function poem(r) {
  const subject = r.pick(Object.keys(POEMS));
  const [haiku, free] = POEMS[subject];
  const isHaiku = r.chance(0.5);
  const exchanges = [[isHaiku ? `Write a haiku about ${subject}.` : `Write a short free-verse poem about ${subject}.`, isHaiku ? haiku : free]];
  if (r.chance(0.4)) exchanges.push([r.pick(['Give it a title.', 'What would you call it?']), `How about "${r.pick(TITLES[subject])}"?`]);
  return { topic: subject, exchanges };
}

const TITLES = { autumn: ['Letting Go', 'Copper Season'], 'the sea': ['Tide Notes', 'What the Sea Forgets'], 'city nights': ['Last Bus', 'Lit Window'], 'morning coffee': ['First Sip', 'Steam'], mountains: ['Switchbacks', 'Indifferent Peak'] };

const FAMILIES = [productCopy, outline, socialPost, taglines, poem];
export const contentConversation = (r) => r.pick(FAMILIES)(r);
export const CONTENT_TOPICS = TOPICS;
