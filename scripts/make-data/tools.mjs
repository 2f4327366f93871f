// Fifteen invented tools: OpenAI function schema, argument generator, the user request that needs
// the call, a plausible result, and the final answer written from that result.
import { fmt, round } from './rng.mjs';
import { FIRST_NAMES, LAST_NAMES } from './banks-everyday.mjs';

const fn = (name, description, properties, required) => ({ type: 'function', function: { name, description, parameters: { type: 'object', properties, required } } });
const s = (description, extra = {}) => ({ type: 'string', description, ...extra });
const n = (description) => ({ type: 'number', description });
const CITIES = ['Oslo', 'Lisbon', 'Nairobi', 'Toronto', 'Seoul', 'Lima', 'Vienna', 'Perth', 'Reykjavik', 'Austin', 'Hanoi', 'Dublin'];
const RATES = { USD: 1, EUR: 0.92, GBP: 0.79, JPY: 151.2, CAD: 1.36, AUD: 1.52, CHF: 0.9, NOK: 10.6, INR: 83.3 };
const STOCKS = { ACME: 182.4, GLBX: 47.15, NRTH: 311.9, TSSR: 12.87, MRGD: 96.02, BLFN: 230.5 };
const UNITS = [['km', 'mi', 0.621371], ['kg', 'lb', 2.20462], ['l', 'gal', 0.264172], ['m', 'ft', 3.28084], ['cm', 'in', 0.393701]];
const ZONES = [['Asia/Tokyo', 9], ['Europe/Berlin', 1], ['America/New_York', -5], ['Australia/Sydney', 11], ['America/Sao_Paulo', -3], ['Asia/Kolkata', 5.5]];
const CONDITIONS = ['clear skies', 'light rain', 'overcast', 'snow showers', 'partly cloudy', 'strong winds'];
const date = (r) => `2025-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;

export const TOOLS = [
  { schema: fn('get_weather', 'Get the current weather for a city.', { city: s('City name, e.g. Oslo'), unit: s('Temperature unit', { enum: ['celsius', 'fahrenheit'] }) }, ['city']),
    args: (r) => (r.chance(0.4) ? { city: r.pick(CITIES), unit: r.pick(['celsius', 'fahrenheit']) } : { city: r.pick(CITIES) }),
    ask: (a, r) => r.pick([`What's the weather like in ${a.city} right now?`, `Is it cold in ${a.city} today?`, `Check the weather in ${a.city}${a.unit ? ` in ${a.unit}` : ''}, please.`]),
    result: (a, r) => { const c = r.int(-8, 31); const condition = r.pick(CONDITIONS.filter((x) => (c <= 1 ? x !== 'light rain' : x !== 'snow showers'))); return { city: a.city, temperature: a.unit === 'fahrenheit' ? Math.round(c * 1.8 + 32) : c, unit: a.unit ?? 'celsius', condition, humidity: r.int(30, 95) }; },
    answer: (a, x) => `It's currently ${x.temperature}°${x.unit === 'fahrenheit' ? 'F' : 'C'} in ${x.city} with ${x.condition} and ${x.humidity}% humidity.` },
  { schema: fn('convert_currency', 'Convert an amount between two currencies using today\'s rate.', { amount: n('Amount to convert'), from_currency: s('ISO 4217 code'), to_currency: s('ISO 4217 code') }, ['amount', 'from_currency', 'to_currency']),
    args: (r) => { const [f, t] = r.sample(Object.keys(RATES), 2); return { amount: r.int(1, 500) * 10, from_currency: f, to_currency: t }; },
    ask: (a, r) => r.pick([`How much is ${a.amount} ${a.from_currency} in ${a.to_currency}?`, `Convert ${a.amount} ${a.from_currency} to ${a.to_currency}.`]),
    result: (a) => { const rate = round(RATES[a.to_currency] / RATES[a.from_currency], 4); return { amount: a.amount, from: a.from_currency, to: a.to_currency, rate, converted: round(a.amount * rate) }; },
    answer: (a, x) => `${fmt(x.amount, 0)} ${x.from} is about ${fmt(x.converted)} ${x.to} at a rate of ${x.rate}.` },
  { schema: fn('create_calendar_event', 'Create an event in the user\'s calendar.', { title: s('Event title'), date: s('Date in YYYY-MM-DD'), start_time: s('Start time HH:MM, 24h'), duration_minutes: { type: 'integer', description: 'Length in minutes' } }, ['title', 'date', 'start_time']),
    args: (r) => ({ title: r.pick(['Dentist appointment', 'Call with Priya', 'Gym session', 'Project kickoff', 'Parent-teacher meeting']), date: date(r), start_time: `${r.int(8, 18)}:${r.pick(['00', '30'])}`, duration_minutes: r.pick([30, 45, 60]) }),
    ask: (a) => `Add "${a.title}" to my calendar on ${a.date} at ${a.start_time} for ${a.duration_minutes} minutes.`,
    result: (a, r) => ({ event_id: `evt_${r.id(8)}`, status: 'created', title: a.title, date: a.date, start_time: a.start_time }),
    answer: (a, x) => `Done! "${x.title}" is on your calendar for ${x.date} at ${x.start_time}.` },
  { schema: fn('get_stock_quote', 'Get the latest price for a stock ticker.', { symbol: s('Ticker symbol') }, ['symbol']),
    args: (r) => ({ symbol: r.pick(Object.keys(STOCKS)) }),
    ask: (a, r) => r.pick([`What's ${a.symbol} trading at?`, `Get me the latest quote for ${a.symbol}.`]),
    result: (a, r) => { const ch = round((r.next() - 0.5) * 6, 2); return { symbol: a.symbol, price: STOCKS[a.symbol], change_percent: ch, currency: 'USD' }; },
    answer: (a, x) => `${x.symbol} is at ${x.price} USD, ${x.change_percent >= 0 ? 'up' : 'down'} ${Math.abs(x.change_percent)}% today.` },
  { schema: fn('convert_units', 'Convert a value between measurement units.', { value: n('The value'), from_unit: s('Source unit'), to_unit: s('Target unit') }, ['value', 'from_unit', 'to_unit']),
    args: (r) => { const [f, t] = r.pick(UNITS); return { value: r.int(1, 300), from_unit: f, to_unit: t }; },
    ask: (a, r) => r.pick([`Convert ${a.value} ${a.from_unit} to ${a.to_unit}.`, `How many ${a.to_unit} is ${a.value} ${a.from_unit}?`]),
    result: (a) => ({ value: a.value, from_unit: a.from_unit, to_unit: a.to_unit, result: round(a.value * UNITS.find((u) => u[0] === a.from_unit)[2], 3) }),
    answer: (a, x) => `${x.value} ${x.from_unit} is ${x.result} ${x.to_unit}.` },
  { schema: fn('search_docs', 'Search the internal documentation.', { query: s('Search query'), max_results: { type: 'integer', description: 'Maximum hits' } }, ['query']),
    args: (r) => ({ query: r.pick(['reset two-factor authentication', 'expense report deadline', 'VPN setup on Linux', 'parental leave policy', 'rotate API keys']), max_results: r.int(1, 3) }),
    ask: (a) => `Search our docs for "${a.query}".`,
    result: (a, r) => ({ query: a.query, results: Array.from({ length: a.max_results }, (_, i) => ({ title: `${a.query[0].toUpperCase()}${a.query.slice(1)}${i ? ` (part ${i + 1})` : ''}`, url: `https://docs.example.com/${a.query.replaceAll(' ', '-')}${i ? `-${i + 1}` : ''}`, score: round(0.95 - i * 0.1 - r.next() * 0.05, 2) })) }),
    answer: (a, x) => `I found ${x.results.length} matching page${x.results.length > 1 ? 's' : ''}. The best match is "${x.results[0].title}": ${x.results[0].url}` },
  { schema: fn('get_time_in_timezone', 'Get the current local time in an IANA time zone.', { timezone: s('IANA zone, e.g. Asia/Tokyo') }, ['timezone']),
    args: (r) => ({ timezone: r.pick(ZONES)[0] }),
    ask: (a) => `What time is it in ${a.timezone.split('/')[1].replace('_', ' ')}?`,
    result: (a, r) => ({ timezone: a.timezone, local_time: `${String(r.int(0, 23)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}`, utc_offset: ZONES.find((z) => z[0] === a.timezone)[1] }),
    answer: (a, x) => `It's ${x.local_time} in ${x.timezone.split('/')[1].replace('_', ' ')} (UTC${x.utc_offset >= 0 ? '+' : ''}${x.utc_offset}).` },
  { schema: fn('translate_text', 'Translate text into another language.', { text: s('Text to translate'), target_language: s('Target language name') }, ['text', 'target_language']),
    args: (r) => r.pick([{ text: 'Where is the museum?', target_language: 'Spanish' }, { text: 'Thank you for your help', target_language: 'Japanese' }, { text: 'The meeting is cancelled', target_language: 'German' }, { text: 'Good luck', target_language: 'Chinese' }]),
    ask: (a) => `Translate "${a.text}" into ${a.target_language}.`,
    result: (a) => ({ translation: { Spanish: '¿Dónde está el museo?', Japanese: '助けてくれてありがとう', German: 'Die Besprechung ist abgesagt', Chinese: '祝你好运' }[a.target_language], target_language: a.target_language }),
    answer: (a, x) => `In ${x.target_language}: ${x.translation}` },
  { schema: fn('calculate_loan_payment', 'Monthly payment for a fixed-rate loan.', { principal: n('Amount borrowed'), annual_rate: n('Yearly interest rate in percent'), years: { type: 'integer', description: 'Loan term in years' } }, ['principal', 'annual_rate', 'years']),
    args: (r) => ({ principal: r.int(5, 60) * 5000, annual_rate: r.pick([3.5, 4, 4.25, 5, 5.9, 6.5]), years: r.pick([5, 10, 15, 20, 25, 30]) }),
    ask: (a) => `What would my monthly payment be on a ${fmt(a.principal, 0)} loan at ${a.annual_rate}% over ${a.years} years?`,
    result: (a) => { const i = a.annual_rate / 1200, k = a.years * 12; const m = (a.principal * i) / (1 - (1 + i) ** -k); return { monthly_payment: round(m), total_paid: round(m * k), total_interest: round(m * k - a.principal) }; },
    answer: (a, x) => `Your monthly payment would be about ${fmt(x.monthly_payment)}. Over ${a.years} years you'd pay ${fmt(x.total_paid)} in total, of which ${fmt(x.total_interest)} is interest.` },
  { schema: fn('find_restaurants', 'Find restaurants in a city.', { city: s('City'), cuisine: s('Type of food'), max_price: { type: 'integer', description: 'Price level 1-4' } }, ['city']),
    args: (r) => ({ city: r.pick(CITIES), cuisine: r.pick(['Italian', 'Thai', 'vegan', 'Ethiopian', 'sushi', 'Mexican']), max_price: r.int(1, 4) }),
    ask: (a) => `Find me a ${a.cuisine} restaurant in ${a.city}, price level ${a.max_price} or below.`,
    result: (a, r) => ({ restaurants: r.sample(['Olive & Thyme', 'Little Lantern', 'The Copper Pot', 'Saffron House', 'Blue Door Kitchen', 'Noodle Bar 88'], 2).map((nm) => ({ name: nm, rating: round(3.8 + r.next() * 1.1, 1), price_level: r.int(1, a.max_price) })) }),
    answer: (a, x) => `Two good ${a.cuisine} options in ${a.city}: ${x.restaurants[0].name} (rated ${x.restaurants[0].rating}) and ${x.restaurants[1].name} (rated ${x.restaurants[1].rating}).` },
  { schema: fn('get_flight_status', 'Get the status of a flight.', { flight_number: s('Airline code and number'), date: s('YYYY-MM-DD') }, ['flight_number']),
    args: (r) => ({ flight_number: `${r.pick(['LH', 'BA', 'SK', 'AC', 'NH', 'QF'])}${r.int(100, 999)}`, date: date(r) }),
    ask: (a) => `Is flight ${a.flight_number} on ${a.date} on time?`,
    result: (a, r) => { const delay = r.pick([0, 0, 0, 15, 40, 95]); return { flight_number: a.flight_number, status: delay ? 'delayed' : 'on time', delay_minutes: delay, gate: `${r.pick(['A', 'B', 'C', 'D'])}${r.int(1, 40)}` }; },
    answer: (a, x) => (x.delay_minutes ? `${x.flight_number} is delayed by ${x.delay_minutes} minutes and departs from gate ${x.gate}.` : `${x.flight_number} is on time, departing from gate ${x.gate}.`) },
  { schema: fn('send_email', 'Send an email on the user\'s behalf.', { to: s('Recipient address'), subject: s('Subject line'), body: s('Plain-text body') }, ['to', 'subject', 'body']),
    args: (r) => { const f = r.pick(FIRST_NAMES); return { to: `${f.toLowerCase()}@example.org`, subject: r.pick(['Running late', 'Notes from today', 'Invoice attached', 'Lunch on Friday?']), body: `Hi ${f}, quick note from me. Talk soon.` }; },
    ask: (a) => `Email ${a.to} with the subject "${a.subject}" and a short friendly note.`,
    result: (a, r) => ({ message_id: `msg_${r.id(10)}`, status: 'sent', to: a.to }),
    answer: (a, x) => `Your email "${a.subject}" has been sent to ${x.to}.` },
  { schema: fn('get_package_tracking', 'Track a parcel.', { tracking_number: s('Tracking number'), carrier: s('Carrier name') }, ['tracking_number']),
    args: (r) => ({ tracking_number: `1Z${r.id(10, '0123456789ABCDEF')}`, carrier: r.pick(['UPS', 'DHL', 'FedEx', 'PostNord']) }),
    ask: (a) => `Where is my ${a.carrier} parcel ${a.tracking_number}?`,
    result: (a, r) => ({ status: r.pick(['in transit', 'out for delivery', 'delivered', 'held at customs']), last_location: r.pick(CITIES), estimated_delivery: date(r) }),
    answer: (a, x) => `Your parcel is ${x.status}; it was last scanned in ${x.last_location}. Estimated delivery: ${x.estimated_delivery}.` },
  { schema: fn('lookup_word', 'Look up the definition of an English word.', { word: s('The word') }, ['word']),
    args: (r) => ({ word: r.pick(['ephemeral', 'serendipity', 'laconic', 'ubiquitous', 'quixotic', 'mellifluous']) }),
    ask: (a) => `What does "${a.word}" mean?`,
    result: (a) => ({ word: a.word, definition: { ephemeral: 'lasting a very short time', serendipity: 'finding something good without looking for it', laconic: 'using very few words', ubiquitous: 'present or found everywhere', quixotic: 'idealistic in an impractical way', mellifluous: 'sweet or musical; pleasant to hear' }[a.word] }),
    answer: (a, x) => `"${x.word}" means ${x.definition}.` },
  { schema: fn('set_reminder', 'Set a reminder for the user.', { text: s('What to remind about'), remind_at: s('ISO 8601 date-time'), urgent: { type: 'boolean', description: 'Whether to alert loudly' } }, ['text', 'remind_at']),
    args: (r) => ({ text: r.pick(['water the plants', 'call the bank', 'take out the recycling', 'renew passport', 'book a haircut']), remind_at: `${date(r)}T${String(r.int(7, 20)).padStart(2, '0')}:00:00`, urgent: r.chance(0.3) }),
    ask: (a) => `Remind me to ${a.text} at ${a.remind_at.replace('T', ' ').slice(0, 16)}${a.urgent ? '. It is urgent' : ''}.`,
    result: (a, r) => ({ reminder_id: `rem_${r.id(6)}`, scheduled: true }),
    answer: (a) => `Reminder set: "${a.text}" at ${a.remind_at.replace('T', ' ').slice(0, 16)}.` },
];
export const toolByName = (name) => TOOLS.find((t) => t.schema.function.name === name);
export const PERSON = (r) => `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`;
