// One entry per SFT file: how to generate a good record, how to serialize it, and exactly which
// deliberate bad records, warning plants and curation plants (scripts/make-data/curation.mjs) it gets. The counts
// of the templated files (domain_expert, roleplay, coding, steering) are what their templates can make without two
// good records being near-duplicates of each other.
import * as F from './formats.mjs';
import { withTurns, fromExchanges } from './internal.mjs';
import { generalConversation, GENERAL_SYSTEMS } from './general.mjs';
import { expertConversation } from './expert.mjs';
import { mathProblem, userText, MATH_SYSTEMS } from './math.mjs';
import { roleplayConversation } from './roleplay.mjs';
import { codingConversation, CODING_SYSTEMS } from './coding.mjs';
import { toolConversation } from './toolconv.mjs';
import { jsonModeConversation } from './jsonmode.mjs';
import { contentConversation } from './content.mjs';
import { steeringConversation } from './steering.mjs';

const general = withTurns(generalConversation, { systems: GENERAL_SYSTEMS, systemRate: 0.3 });

function math(r) {
  const n = r.chance(0.8) ? 1 : r.int(2, 3);
  const probs = Array.from({ length: n }, () => mathProblem(r));
  const messages = probs.flatMap((p, i) => [{ role: 'user', content: i ? `Next one: ${userText(p)}` : userText(p), instr: i ? `Next one: ${p.instr}` : p.instr, input: p.input }, { role: 'assistant', content: p.answer }]);
  return { ...(r.chance(0.3) ? { system: r.pick(MATH_SYSTEMS) } : {}), messages, topic: 'math' };
}

// Which content parts appear as a list of parts in the OpenAI general file.
const partsFor = (r) => { const on = r.chance(0.12); return (m) => on && m.role !== 'system'; };

export const SFT_FILES = [
  { file: 'general.openai.jsonl', category: 'general', format: 'openai', count: 1500, make: general, write: (c, r) => F.openai(c, { partsFor: partsFor(r) }),
    bad: { not_json_truncated: 3, not_json_python_repr: 3, not_object: 2, no_assistant_turn: 2, empty_user_turn: 2, unknown_role: 2, system_not_first: 2, duplicate: 4 }, curation: { near_duplicate: [0.005, 0.01, 0.01, 0.015], near_copy_kept: [0.3, 0.3], benchmark_leak: ['if-1', 'if-3', 'wp-2', 'wp-5'], refusal: 3, model_self_reference: 2 }, warn: { template_placeholder: 3, whitespace_padding: 4 } },
  { file: 'general.crlf.jsonl', category: 'general', format: 'openai', count: 50, crlf: true, make: general, write: (c) => F.openai(c),
    bad: { not_json_truncated: 1, duplicate: 1 }, warn: { whitespace_padding: 1 } },
  { file: 'domain_expert.sharegpt.json', category: 'domain_expert', format: 'sharegpt', array: true, count: 90, make: withTurns(expertConversation, { followups: false }), write: (c) => F.sharegpt(c),
    bad: { not_object: 2, no_assistant_turn: 2, empty_user_turn: 1, unknown_role: 1, system_not_first: 2, duplicate: 3 }, curation: { near_duplicate: [0.005, 0.01] }, warn: { template_placeholder: 1, whitespace_padding: 2 } },
  { file: 'math.alpaca.jsonl', category: 'math', format: 'alpaca', count: 210, make: math, write: (c) => F.alpaca(c),
    bad: { not_json_truncated: 1, not_json_python_repr: 1, no_assistant_turn: 2, empty_user_turn: 1, duplicate: 2 }, curation: { benchmark_leak: ['wp-1', 'm-2', 'm-4'] }, warn: { whitespace_padding: 1 } },
  { file: 'roleplay.chatml.jsonl', category: 'roleplay', format: 'chatml', count: 125, make: withTurns(roleplayConversation, { followups: false }), write: (c) => F.chatml(c),
    bad: { not_json_truncated: 1, no_assistant_turn: 1, empty_user_turn: 1, unknown_role: 2, system_not_first: 1, duplicate: 2 }, warn: { template_placeholder: 2 }, placeholderWhere: 'system' },
  { file: 'coding.parts.jsonl', category: 'coding', format: 'parts', count: 80, make: withTurns(codingConversation, { systems: CODING_SYSTEMS, systemRate: 0.4, followups: false }), write: (c) => F.parts(c),
    bad: { not_json_python_repr: 1, not_object: 1, no_assistant_turn: 1, empty_user_turn: 1, unknown_role: 1, duplicate: 2 }, curation: { benchmark_leak: ['c-1', 'c-3'] }, warn: { whitespace_padding: 1 } },
  { file: 'tool_use.hermes.jsonl', category: 'tool_use', format: 'hermes', count: 110, make: (r) => toolConversation(r, { pythonRate: 0.12 }), write: (c) => F.hermes(c),
    bad: { not_json_truncated: 1, no_assistant_turn: 1, tool_call_bad_json: 2, tool_call_unknown_tool: 2, tool_result_without_call: 2, duplicate: 2 }, curation: { tool_arguments_invalid: 2, tool_response_name_mismatch: 1 }, warn: {} },
  { file: 'tool_use.openai.jsonl', category: 'tool_use', format: 'openai_tools', count: 90, make: (r) => { const c = toolConversation(r, { parallelRate: 0.1 }); for (const m of c.messages) if (m.calls && r.chance(0.1)) m.nullContent = true; return c; }, write: (c) => F.openaiTools(c),
    bad: { not_json_truncated: 1, not_object: 1, tool_call_bad_json: 2, tool_call_unknown_tool: 2, tool_result_without_call: 1, duplicate: 1 }, curation: { tool_arguments_invalid: 2 }, warn: {} },
  { file: 'json_mode.openai.jsonl.gz', category: 'json_mode', format: 'openai', gzip: true, count: 100, make: (r) => fromExchanges(jsonModeConversation(r)), write: (c) => F.openai(c),
    bad: { not_json_truncated: 1, no_assistant_turn: 1, empty_user_turn: 1, duplicate: 1 }, curation: { json_mode_schema_violation: 3, json_mode_invalid_json: 2 }, warn: {} },
  { file: 'content_generation.custom.jsonl', category: 'content_generation', format: 'custom', count: 100, make: withTurns(contentConversation, { followups: false }), write: (c) => F.custom(c),
    bad: { not_json_python_repr: 1, no_assistant_turn: 1, empty_user_turn: 1, unknown_role: 1, duplicate: 1 }, curation: { refusal: 2 }, warn: { template_placeholder: 3, whitespace_padding: 1 }, placeholderWhere: 'assistant' },
  { file: 'steering.sharegpt.jsonl', category: 'steering', format: 'sharegpt', count: 64, make: withTurns(steeringConversation, { followups: false }), write: (c) => F.sharegpt(c, { category: 'steering' }),
    bad: { not_object: 1, no_assistant_turn: 1, system_not_first: 2, duplicate: 1 }, warn: { whitespace_padding: 1 } },
];
