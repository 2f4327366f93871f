// Builds internal tool-use conversations from the tool catalogue: one or two user requests, each
// answered by a tool call (sometimes two in parallel), the tool result(s), then a final answer.
import { TOOLS } from './tools.mjs';

const TOOL_SYSTEMS = [undefined, undefined, 'You are a helpful assistant with access to tools.', 'You are a personal assistant. Be brief and friendly.'];

function exchange(r, tool, nextId, { parallel }) {
  const a1 = tool.args(r);
  let a2 = parallel ? tool.args(r) : undefined;
  if (a2 && JSON.stringify(a2) === JSON.stringify(a1)) a2 = undefined;
  const calls = [a1, a2].filter(Boolean).map((args) => ({ name: tool.schema.function.name, arguments: args, id: nextId() }));
  const results = calls.map((k) => ({ id: k.id, name: k.name, content: tool.result(k.arguments, r) }));
  const ask = a2 ? `${tool.ask(a1, r)} Also: ${tool.ask(a2, r)}` : tool.ask(a1, r);
  const answer = results.map((x, i) => tool.answer(calls[i].arguments, x.content)).join(' ');
  return [{ role: 'user', content: ask }, { role: 'assistant', content: '', calls }, { role: 'tool', results }, { role: 'assistant', content: answer }];
}

/** `pythonRate`: share of calls written as Python dicts (Hermes only). */
export function toolConversation(r, { pythonRate = 0, parallelRate = 0.06 } = {}) {
  let n = 0;
  const nextId = () => `call_${r.chance(0.5) ? ++n : r.id(24)}`;
  const used = r.sample(TOOLS, r.chance(0.15) ? 2 : 1);
  const messages = used.flatMap((t, i) => exchange(r, t, nextId, { parallel: i === 0 && r.chance(parallelRate) }));
  for (const m of messages) for (const k of m.calls ?? []) k.form = r.chance(pythonRate) ? 'python' : 'json';
  const distractors = r.sample(TOOLS.filter((t) => !used.includes(t)), r.int(0, 3));
  const tools = r.shuffle([...used, ...distractors]).map((t) => t.schema);
  return { system: r.pick(TOOL_SYSTEMS), messages, tools, topic: used[0].schema.function.name };
}
