// Serializers from the generator's internal conversation to each on-disk shape.
// Internal shape: { system?, messages: [{ role, content, reasoning?, calls?, callId?, name? }], tools?, topic }
// where tool calls are { name, arguments, id, form? ('json' | 'python' | 'broken') }.
import { dumps, pyrepr } from './pyjson.mjs';

const withSystem = (c) => (c.system !== undefined ? [{ role: 'system', content: c.system }, ...c.messages] : c.messages);

/** OpenAI chat. `parts` turns a message's content into [{type:'text', text}]. */
export function openai(c, { partsFor = () => false } = {}) {
  return { messages: withSystem(c).map((m, i) => ({ role: m.role, content: partsFor(m, i) ? [{ type: 'text', text: m.content }] : m.content })) };
}

const FROM = { system: 'system', user: 'human', assistant: 'gpt', tool: 'tool' };
export const sharegpt = (c, extra = {}) => ({ conversations: withSystem(c).map((m) => ({ from: FROM[m.role] ?? m.role, value: m.content })), ...extra });

/** Alpaca: the last exchange becomes instruction/input/output, earlier ones `history`. */
export function alpaca(c) {
  const ex = [];
  for (const m of c.messages) {
    if (m.role === 'user') ex.push({ q: m.content, instr: m.instr, input: m.input });
    else if (m.role === 'assistant') ex[ex.length - 1].a = m.content;
  }
  const last = ex[ex.length - 1];
  const rec = {};
  if (c.system !== undefined) rec.system = c.system;
  rec.instruction = last.instr ?? last.q;
  rec.input = last.instr !== undefined ? last.input : '';
  if (last.a !== undefined) rec.output = last.a;
  if (ex.length > 1) rec.history = ex.slice(0, -1).map((e) => [e.q, e.a]);
  return rec;
}

export const chatml = (c) => ({ text: withSystem(c).map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('') });

export function parts(c) {
  return { messages: withSystem(c).map((m) => ({ role: m.role, content: [...(m.reasoning ? [{ type: 'reasoning', value: m.reasoning }] : []), { type: 'text', value: m.content }] })) };
}

const SPEAKER = { user: 'human', assistant: 'bot' };
export const custom = (c) => ({ dialog: c.messages.map((m) => ({ speaker: SPEAKER[m.role] ?? m.role, text: m.content })), topic: c.topic });

// ---- tool calling ----
function callText(call) {
  const obj = { name: call.name, arguments: call.arguments };
  if (call.form === 'python') return pyrepr(obj);
  if (call.form === 'broken') return dumps(obj).slice(0, -1); // drops the closing brace
  return dumps(obj);
}

export const HERMES_PREAMBLE = 'You are a function calling AI assistant. The functions available to you are listed as JSON signatures inside <tools></tools> XML tags. Call them only when they help answer the user, and do not guess argument values the user has not given.';
const HERMES_FOOTER = 'For each call, reply with a JSON object containing the function name and its arguments, wrapped in <tool_call></tool_call> tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-object>}\n</tool_call>\nResults are returned inside <tool_response></tool_response> tags.';

/** Hermes function calling in ShareGPT form: tools in the system turn, calls and results as tagged text. */
export function hermes(c) {
  const system = `${c.system ? `${c.system}\n\n` : ''}${HERMES_PREAMBLE}\n<tools>\n${JSON.stringify(c.tools)}\n</tools>\n${HERMES_FOOTER}`;
  const turns = c.messages.map((m) => {
    if (m.role === 'assistant' && m.calls) return { from: 'gpt', value: m.calls.map((k) => `<tool_call>\n${callText(k)}\n</tool_call>`).join('\n') };
    if (m.role === 'tool') return { from: 'tool', value: m.results.map((x) => `<tool_response>\n${dumps({ name: x.name, content: x.content })}\n</tool_response>`).join('\n') };
    return { from: FROM[m.role] ?? m.role, value: m.content };
  });
  return { conversations: [{ from: 'system', value: system }, ...turns] };
}

/** OpenAI tool calling: tool_calls on the assistant turn, one tool message per result. */
export function openaiTools(c) {
  const messages = [];
  if (c.system !== undefined) messages.push({ role: 'system', content: c.system });
  for (const m of c.messages) {
    if (m.role === 'assistant' && m.calls) {
      const turn = { role: 'assistant' };
      if (m.nullContent) turn.content = null;
      turn.tool_calls = m.calls.map((k) => ({ id: k.id, type: 'function', function: { name: k.name, arguments: k.form === 'broken' ? JSON.stringify(k.arguments).slice(0, -1) : JSON.stringify(k.arguments) } }));
      messages.push(turn);
    } else if (m.role === 'tool') {
      for (const x of m.results) messages.push({ role: 'tool', tool_call_id: x.id, content: JSON.stringify(x.content) });
    } else messages.push({ role: m.role, content: m.content });
  }
  return { messages, tools: c.tools };
}
