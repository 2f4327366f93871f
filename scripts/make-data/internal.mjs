// Turns generator output into the internal conversation, checks that good records are clean, and
// applies the deliberate defects (bad records) and warning plants.
import { addFollowups, turnCount } from './followups.mjs';

/** { system?, exchanges: [[user, assistant]] } -> { system?, messages, topic }. */
export function fromExchanges(g) {
  const messages = g.exchanges.flatMap(([u, a]) => {
    const user = typeof u === 'string' ? { role: 'user', content: u } : { role: 'user', ...u };
    const asst = typeof a === 'string' ? { role: 'assistant', content: a } : { role: 'assistant', content: a.text, ...(a.reasoning ? { reasoning: a.reasoning } : {}) };
    return [user, asst];
  });
  return { ...(g.system !== undefined ? { system: g.system } : {}), messages, topic: g.topic };
}

/** A generator plus optional generic follow-ups and an optional system prompt from `systems`. */
export function withTurns(gen, { systems = [], systemRate = 0, followups = true } = {}) {
  return (r) => {
    const g = gen(r);
    if (followups) addFollowups(r, g, turnCount(r) - g.exchanges.length);
    if (g.system === undefined && r.chance(systemRate)) g.system = r.pick(systems);
    return fromExchanges(g);
  };
}

/** Content identity used for uniqueness: roles, texts, calls and results, never ids. */
export const contentKey = (c) => JSON.stringify([c.system ?? null, c.messages.map((m) => [m.role, m.content, m.calls?.map((k) => [k.name, k.arguments]), m.results?.map((x) => x.content)])]);

const texts = (c) => [c.system, ...c.messages.flatMap((m) => [m.role === 'tool' ? undefined : m.content, m.reasoning, m.instr, m.input])].filter((t) => t !== undefined);

/** Throws if a would-be good record contains something a validator should warn about. */
export function assertClean(c, file) {
  for (const t of texts(c)) {
    if (t.includes("{{")) throw new Error(`${file}: unplanned placeholder in ${JSON.stringify(t.slice(0, 80))}`);
    if (t !== t.trim()) throw new Error(`${file}: unplanned whitespace in ${JSON.stringify(t.slice(0, 80))}`);
  }
  for (const m of c.messages) if (m.role !== 'tool' && !m.calls && m.content === '') throw new Error(`${file}: empty turn`);
}

const clone = (c) => structuredClone(c);
const firstUser = (c) => c.messages.find((m) => m.role === 'user');

/** Deliberate defects. Each returns a new internal conversation (or null if not applicable). */
export const DEFECTS = {
  no_assistant_turn: (c) => ({ ...clone(c), messages: [clone(firstUser(c))] }),
  empty_user_turn: (c) => { const d = clone(c); const u = firstUser(d); u.content = ''; if (u.instr !== undefined) { u.instr = ''; u.input = ''; } return d; },
  unknown_role: (c, r) => { const d = clone(c); const i = d.messages.findIndex((m) => m.role === 'user'); d.messages.splice(i + 1, 0, { role: 'narrator', content: r.pick(['*A long pause follows.*', 'Meanwhile, the room grows quiet.', '(The user waits for a reply.)']) }); return d; },
  system_not_first: (c, r) => { const d = clone(c); const sys = d.system ?? r.pick(['You are a helpful assistant.', 'Answer briefly.']); delete d.system; d.messages.splice(2, 0, { role: 'system', content: sys }); return d; },
  tool_call_bad_json: (c) => { const d = clone(c); d.messages.find((m) => m.calls).calls[0].form = 'broken'; return d; },
  tool_call_unknown_tool: (c, r) => {
    const d = clone(c); const turn = d.messages.find((m) => m.calls); const res = d.messages.find((m) => m.results);
    const name = r.pick(['book_taxi', 'get_horoscope', 'order_pizza', 'play_music']);
    turn.calls[0].name = name; res.results[0].name = name; return d;
  },
  tool_result_without_call: (c) => { const d = clone(c); const i = d.messages.findIndex((m) => m.calls); d.messages.splice(i, 1); return d; },
};

/** Warning plants: the record stays valid but a validator should warn. */
export const PLANTS = {
  template_placeholder: (c, r, where) => {
    const d = clone(c);
    if (where === 'system' && d.system !== undefined) d.system += r.pick([' Always address the user as {{user}}.', ' Your name is {{char}}.']);
    else if (where === 'assistant') { const a = d.messages.findLast((m) => m.role === 'assistant'); a.content = r.pick([`Hi {{name}},\n\n${a.content}`, `${a.content}\n\nBest regards,\n{{name}}`]); }
    else { const u = firstUser(d); const p = r.pick(["Hi, I'm {{name}}. ", 'Hello from {{name}}! ']); u.content = p + u.content; if (u.instr !== undefined) u.instr = p + u.instr; }
    return d;
  },
  whitespace_padding: (c, r) => {
    const d = clone(c);
    if (r.chance(0.5)) { const u = firstUser(d); const pad = (s) => `  ${s}\n`; u.content = pad(u.content); if (u.instr !== undefined) u.instr = pad(u.instr); }
    else { const a = d.messages.find((m) => m.role === 'assistant' && !m.calls); a.content = `${a.content}   `; }
    return d;
  },
};
