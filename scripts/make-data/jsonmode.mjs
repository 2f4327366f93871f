// JSON-mode conversations: the system prompt gives a JSON schema, the user gives free text, and the
// assistant returns exactly the JSON object described by the text.
import { FIRST_NAMES, LAST_NAMES } from './banks-everyday.mjs';

const CITIES = ['Oslo', 'Lyon', 'Osaka', 'Porto', 'Denver', 'Nairobi', 'Auckland', 'Montreal', 'Kraków', 'Seville'];
const COMPANIES = ['Bluefin Analytics', 'Northwind Labs', 'Copperleaf Studio', 'Halcyon Freight', 'Marigold Health', 'Tessera Robotics'];
const ROLES = ['product manager', 'data engineer', 'nurse', 'architect', 'teacher', 'sales director', 'UX researcher'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n) => String(n).padStart(2, '0');

function contact(r) {
  const first = r.pick(FIRST_NAMES), last = r.pick(LAST_NAMES), age = r.int(22, 67), city = r.pick(CITIES), role = r.pick(ROLES), company = r.pick(COMPANIES);
  const email = `${first}.${last}`.toLowerCase() + '@example.com';
  const text = r.pick([`${first} ${last} is a ${age}-year-old ${role} at ${company}, based in ${city}. You can reach them at ${email}.`, `Met ${first} ${last} (${role}, ${company}) at the ${city} conference. Age ${age}. Email: ${email}.`]);
  return { schema: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' }, job_title: { type: 'string' }, company: { type: 'string' }, city: { type: 'string' }, email: { type: 'string' } }, required: ['name', 'age', 'job_title', 'company', 'city', 'email'] }, task: 'Extract the contact details from this text.', text, value: { name: `${first} ${last}`, age, job_title: role, company, city, email } };
}

function event(r) {
  const m = r.int(1, 12), d = r.int(1, 28), y = r.pick([2024, 2025]), h = r.int(8, 19), min = r.pick([0, 15, 30, 45]);
  const title = r.pick(['Quarterly planning', 'Design review', 'Team offsite', 'Board meeting', 'Product launch rehearsal', 'Hiring committee']);
  const city = r.pick(CITIES), mins = r.pick([30, 45, 60, 90, 120]);
  const who = r.sample(FIRST_NAMES, r.int(2, 4));
  const text = `${title} on ${MONTHS[m - 1]} ${d}, ${y} at ${pad(h)}:${pad(min)} in ${city}, lasting ${mins} minutes. Attendees: ${who.join(', ')}.`;
  return { schema: { type: 'object', properties: { title: { type: 'string' }, date: { type: 'string', format: 'date' }, start_time: { type: 'string' }, duration_minutes: { type: 'integer' }, location: { type: 'string' }, attendees: { type: 'array', items: { type: 'string' } } }, required: ['title', 'date', 'start_time', 'duration_minutes', 'attendees'] }, task: 'Turn this event description into JSON.', text, value: { title, date: `${y}-${pad(m)}-${pad(d)}`, start_time: `${pad(h)}:${pad(min)}`, duration_minutes: mins, location: city, attendees: who } };
}

function review(r) {
  const product = r.pick(['blender', 'running shoes', 'desk lamp', 'e-reader', 'tent', 'coffee grinder', 'phone case']);
  const [sentiment, stars, body] = r.pick([['positive', 5, `Absolutely love this ${product}. Works perfectly and arrived early.`], ['positive', 4, `Solid ${product}, does what it promises. Packaging could be better.`], ['neutral', 3, `The ${product} is fine. Nothing special, nothing bad.`], ['negative', 2, `The ${product} stopped working properly after two weeks. Disappointed.`], ['negative', 1, `Do not buy this ${product}. It broke on day one and support never replied.`]]);
  const issues = stars <= 2 ? ['durability'].concat(stars === 1 ? ['customer support'] : []) : [];
  return { schema: { type: 'object', properties: { product: { type: 'string' }, sentiment: { enum: ['positive', 'neutral', 'negative'] }, stars: { type: 'integer', minimum: 1, maximum: 5 }, issues: { type: 'array', items: { type: 'string' } } }, required: ['product', 'sentiment', 'stars', 'issues'] }, task: 'Classify this product review.', text: `${body} (${stars}/5)`, value: { product, sentiment, stars, issues } };
}

function recipe(r) {
  const [dish, ings] = r.pick([['pancakes', ['flour', 'milk', 'eggs', 'butter', 'sugar']], ['guacamole', ['avocados', 'lime', 'onion', 'coriander', 'salt']], ['tomato soup', ['tomatoes', 'onion', 'garlic', 'stock', 'olive oil']], ['omelette', ['eggs', 'butter', 'cheese', 'chives']], ['hummus', ['chickpeas', 'tahini', 'lemon', 'garlic', 'olive oil']]]);
  const serv = r.int(1, 6), mins = r.int(2, 12) * 5, veg = !/(chicken|beef)/.test(dish);
  const text = `My ${dish} for ${serv}: you need ${ings.join(', ')}. Takes about ${mins} minutes. It's vegetarian.`;
  return { schema: { type: 'object', properties: { dish: { type: 'string' }, servings: { type: 'integer' }, ingredients: { type: 'array', items: { type: 'string' } }, total_minutes: { type: 'integer' }, vegetarian: { type: 'boolean' } }, required: ['dish', 'servings', 'ingredients', 'total_minutes', 'vegetarian'] }, task: 'Convert this recipe note into structured JSON.', text, value: { dish, servings: serv, ingredients: ings, total_minutes: mins, vegetarian: veg } };
}

function order(r) {
  const id = `ORD-${r.int(10000, 99999)}`, qty = r.int(1, 5), price = r.int(5, 200) + r.pick([0, 0.5, 0.99, 0.25]);
  const item = r.pick(['USB-C cable', 'notebook', 'yoga mat', 'water filter', 'desk organiser', 'board game']);
  const paid = r.chance(0.6), name = `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`;
  const text = `Order ${id} from ${name}: ${qty} x ${item} at ${price.toFixed(2)} each. ${paid ? 'Payment received.' : 'Awaiting payment.'}`;
  return { schema: { type: 'object', properties: { order_id: { type: 'string' }, customer: { type: 'string' }, item: { type: 'string' }, quantity: { type: 'integer' }, unit_price: { type: 'number' }, total: { type: 'number' }, paid: { type: 'boolean' }, notes: { type: ['string', 'null'] } }, required: ['order_id', 'customer', 'item', 'quantity', 'unit_price', 'total', 'paid', 'notes'] }, task: 'Parse this order into JSON.', text, value: { order_id: id, customer: name, item, quantity: qty, unit_price: price, total: Number((qty * price).toFixed(2)), paid, notes: null } };
}

const FAMILIES = [contact, event, review, recipe, order];

export function jsonModeConversation(r) {
  const e = r.pick(FAMILIES)(r);
  const schema = JSON.stringify(e.schema);
  const system = r.pick([`You are a helpful assistant that answers in JSON. Follow this JSON schema exactly:\n${schema}`, `Respond only with a valid JSON object that conforms to the following schema. Do not add any other text.\n<schema>\n${schema}\n</schema>`, `You extract structured data. Output JSON matching this schema:\n${schema}`]);
  const answer = r.chance(0.5) ? JSON.stringify(e.value, null, 2) : JSON.stringify(e.value);
  return { system, topic: 'json', exchanges: [[`${e.task}\n\n${e.text}`, answer]] };
}
