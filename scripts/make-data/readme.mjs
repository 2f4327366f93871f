// Writes data/README.md from the generator's own tallies, so the documented counts cannot drift.
const FORMAT_NOTES = {
  'general.openai.jsonl': 'OpenAI chat `{"messages":[{"role","content"}]}`. Some records give `content` as a list of parts `[{"type":"text","text":"..."}]` (every non-system turn of that record). No category field; the pipeline maps the file to `general`.',
  'general.crlf.jsonl': 'Same shape as `general.openai.jsonl`, but the file starts with a UTF-8 BOM and every line ends with CRLF, to exercise the readers.',
  'domain_expert.sharegpt.json': 'A top-level JSON array of ShareGPT records `{"conversations":[{"from":"system"|"human"|"gpt","value"}]}`, one element per line.',
  'math.alpaca.jsonl': 'Alpaca `{"instruction","input","output"}`; `input` is often `""`. Some records carry `"system"`, multi-problem records carry `"history":[["q","a"],...]` (earlier turns, oldest first).',
  'roleplay.chatml.jsonl': 'Pre-rendered ChatML in a single `text` field: `<|im_start|>{role}\\n{content}<|im_end|>\\n` per turn. Every good record has a system turn (the character card).',
  'coding.parts.jsonl': 'Typed content parts: `{"messages":[{"role","content":[{"type":"text"|"reasoning","value"}]}]}`. Assistant turns usually start with a `reasoning` part followed by a `text` part.',
  'tool_use.hermes.jsonl': 'Hermes function calling in ShareGPT form: the system turn carries `<tools>[...OpenAI function schemas...]</tools>` plus calling instructions; `gpt` turns hold `<tool_call>\\n{...}\\n</tool_call>` blocks (several blocks = parallel calls); a `{"from":"tool"}` turn holds `<tool_response>` blocks; a final `gpt` turn answers. Some calls use the Python-dict form `{\'name\': ..., \'arguments\': {...}}` (valid; must be accepted). As in real Hermes prompts, the preamble names the empty tag pair `<tools></tools>` in prose before the real `<tools>` block, so a parser must use the block that has content.',
  'tool_use.openai.jsonl': 'OpenAI tool calling: `{"messages":[...],"tools":[{"type":"function","function":{...}}]}`. The assistant call turn has `tool_calls` with JSON-string `arguments`; most such turns have no `content` key, a few have `"content": null`. One `{"role":"tool","tool_call_id"}` message per call (parallel calls give two).',
  'json_mode.openai.jsonl.gz': 'gzip of OpenAI-chat JSONL. The system prompt gives a JSON schema; the assistant answers with a JSON object as text (compact or indented).',
  'content_generation.custom.jsonl': 'Custom field names: `{"dialog":[{"speaker":"human"|"bot","text"}],"topic"}`. Map `dialog`->messages, `speaker`->role, `text`->content, `human`->user, `bot`->assistant. No system turns.',
  'steering.sharegpt.jsonl': 'ShareGPT JSONL, each record with `"category":"steering"`. System prompts steer style, scope (polite out-of-scope declines) and safety (refusals with alternatives).',
};

const BAD_NOTES = {
  not_json_truncated: 'a record line cut off mid-way (not valid JSON)',
  not_json_python_repr: "a Python `repr()` of a record: single quotes, `True`, `None` (not valid JSON)",
  not_object: 'valid JSON that is not an object (`[1,2]`, `"just a string"`, `null`, `42`, `true`, an array of messages)',
  no_assistant_turn: 'only the first user turn (and system prompt/tools if any); no assistant reply (Alpaca: no `output` key, so per-record format detection may not recognise the record as Alpaca at all)',
  empty_user_turn: 'the first user turn is `""` (Alpaca: `instruction` and `input` are `""`)',
  unknown_role: 'an extra turn with role/from/speaker `narrator` right after the first user turn',
  system_not_first: 'the system turn appears after the first user/assistant exchange',
  tool_call_bad_json: 'the first tool call\'s JSON has its closing brace removed (Hermes text / OpenAI `arguments` string)',
  tool_call_unknown_tool: 'the first tool call (and its result) names a tool that is not in the tools list (`book_taxi`, `get_horoscope`, `order_pizza` or `play_music`)',
  tool_result_without_call: 'the assistant tool-call turn is removed, so a tool result follows the user turn with no call before it',
  duplicate: 'a byte-identical copy of an earlier good record in the same file (the first occurrence is good; never a warning-planted record)',
  json_mode_schema_violation: 'a JSON-mode record (schema in a `<schema>` block of the system prompt) whose answer lacks a required key or gives it the wrong type',
  json_mode_invalid_json: 'a JSON-mode record (schema in a `<schema>` block) whose answer puts a sentence before the JSON',
  tool_arguments_invalid: 'the first tool call gives its first required argument the wrong type (a number for a string, `"a lot"` for a number)',
  tool_response_name_mismatch: 'the first tool result names a tool (`<name>_status`) that no call named',
  near_duplicate: 'a copy of an earlier good record with a share of its assistant words replaced (edit rates 0.5%-1.5%, at least one word; word 5-gram Jaccard 0.85-1 by the generator\'s own count): dropped by `near_dedup`',
  benchmark_leak: 'a good record whose first user turn starts with an item of `benchmarks/chatmill-minibench.jsonl`: dropped by `decontaminate` as `contaminated`',
  refusal: 'a good record whose last assistant answer is replaced by a refusal ("I\'m sorry, but I can\'t help with that request."): dropped by `refusals` with `drop_refusals: true`',
};

const table = (cols, rows) => [`| ${cols.join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export function renderReadme({ sft, pref, sizes, totalSize }) {
  const badKinds = Object.keys(BAD_NOTES);
  const out = [];
  out.push('# Bundled default data set', '', 'Everything in this folder is synthetic and written for chatmill: template-based text with a seeded PRNG (mulberry32). Nothing is copied from any other data set.', '');
  out.push('Regenerate (byte-identical) with:', '', '```sh\nnode scripts/make-data.mjs\n```', '', 'This whole README is generated by that script from its own tallies; edit `scripts/make-data/readme.mjs`, not this file. The same numbers are in `manifest.json`.', '');
  out.push('"Records" means non-empty lines of a JSONL file (after gunzip for `.gz`, after BOM/CRLF handling for the CRLF file) or elements of the JSON array. Good = records minus deliberately bad ones. Exact duplicates count as bad (`duplicate`); their first occurrence counts as good.', '');
  out.push('## SFT inputs (`sft/`)', '');
  out.push(table(['file', 'category', 'format', 'records', 'good', 'bad', 'bytes'], sft.map((f) => [`\`${f.spec.file}\``, f.spec.category, f.spec.format, f.stats.records, f.stats.good, f.stats.records - f.stats.good, sizes[`sft/${f.spec.file}`]])));
  const tot = (k) => sft.reduce((s, f) => s + f.stats[k], 0);
  out.push('', `Total: ${tot('records')} records, ${tot('good')} good, ${tot('records') - tot('good')} deliberately bad.`, '');
  for (const f of sft) out.push(`- \`${f.spec.file}\`: ${FORMAT_NOTES[f.spec.file]}`);
  out.push('', '### Deliberately bad SFT records (exact counts)', '');
  out.push(table(['file', ...badKinds.map((k) => `\`${k}\``), 'total'], sft.map((f) => [`\`${f.spec.file}\``, ...badKinds.map((k) => f.stats.bad[k] ?? 0), f.stats.records - f.stats.good])));
  out.push('', ...badKinds.map((k) => `- \`${k}\`: ${BAD_NOTES[k]}.`), '');
  out.push('### Planted warnings (records are otherwise good and count as good)', '');
  out.push(table(['file', '`template_placeholder`', '`whitespace_padding`', '`model_self_reference`'], sft.map((f) => [`\`${f.spec.file}\``, f.stats.warn.template_placeholder ?? 0, f.stats.warn.whitespace_padding ?? 0, f.stats.warn.model_self_reference ?? 0])));
  out.push('', '- `template_placeholder`: an unfilled `{{name}}` in the first user turn (general, domain_expert), `{{user}}`/`{{char}}` appended to the system prompt (roleplay), or `{{name}}` in the assistant answer (content_generation). No other record in any file contains `{{`.', '- `whitespace_padding`: the first user turn gets two leading spaces and a trailing newline, or an assistant reply gets three trailing spaces. No other turn in any file has leading/trailing whitespace.', '- `model_self_reference`: an assistant answer starts with "As an AI language model, ...". No other SFT record outside `steering` says so.', '');
  out.push('### Curation plants (where each one is)', '');
  out.push('`manifest.json` lists, per file under `curation`, the index of every planted near-duplicate with its source record, edit rate, number of edited words and Jaccard; the edited copies far enough from their source to be kept (`near_copies_kept`, edit rate 30%); and every benchmark leak with its item. The good records of all files are at most 0.7 apart by the same count, so near_dedup at 0.8 finds only the plants; the templated files (domain_expert, roleplay, coding, steering) are as large as their templates allow under that rule.', '');
  out.push('### Other facts about the good SFT records', '');
  const ex = ['with_system', 'multi_turn', 'max_user_turns', 'cjk', 'emoji', 'code_block', 'reasoning', 'tool_calls', 'python_dict_calls', 'parallel_call_records'];
  out.push(table(['file', ...ex.map((k) => `\`${k}\``)], sft.map((f) => [`\`${f.spec.file}\``, ...ex.map((k) => f.stats.extra[k])])));
  out.push('', `- \`general.openai.jsonl\`: ${sft[0].stats.extra.content_as_parts} good records use content-parts lists.`);
  const oa = sft.find((f) => f.spec.file === 'tool_use.openai.jsonl');
  out.push(`- \`tool_use.openai.jsonl\`: ${oa.stats.extra.null_content_call_turns} tool-call turns carry \`"content": null\`; all other tool-call turns have no \`content\` key.`);
  out.push('- `with_system` counts records with a system turn (Hermes tool records always have one, carrying the tools). `multi_turn` = more than one user turn. `cjk` = any Chinese/Japanese/Korean character; `emoji` = any Extended_Pictographic character. Tool calls are counted per call; `python_dict_calls` are the Hermes calls written as Python dicts.', '- No two good records anywhere in `sft/` have the same content (system + all turns).', '');
  out.push('## Benchmark (`benchmarks/chatmill-minibench.jsonl`)', '', 'Twenty items written for chatmill in the shapes of real evaluation sets (word problems, competition math, code prompts, instruction-following prompts), `{id, question}` per line, for the default pipeline\'s `decontaminate` stage. Real sets replace it for real data.', '');
  out.push('## Preference inputs (`preference/`)', '');
  out.push(table(['file', 'format', 'records', 'bytes'], pref.map((p) => [`\`${p.file}\``, p.format, p.lines.length, sizes[`preference/${p.file}`]])), '');
  for (const p of pref) out.push(`- \`${p.file}\`: ${p.note}`);
  out.push('', '### Planted preference defects and conditions (exact counts)', '');
  out.push(table(['file', 'kind', 'count'], pref.flatMap((p) => Object.entries(p.stats.bad).map(([k, n]) => [`\`${p.file}\``, `\`${k}\``, n]))));
  out.push('', ...Object.entries(PREF_NOTES).map(([k, v]) => `- \`${k}\`: ${v}`), '');
  out.push('### Other preference facts', '');
  for (const p of pref) out.push(`- \`${p.file}\`: ${Object.entries(p.stats.extra).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  out.push('', `Total size of \`data/\`: ${totalSize} bytes (README and manifest included).`, '');
  return out.join('\n');
}

const PREF_NOTES = {
  identical_chosen_rejected: 'chosen and rejected replies are exactly equal (the pair carries no signal).',
  empty_chosen: 'the chosen assistant reply is `""`.',
  empty_rejected: 'the rejected assistant reply is `""`.',
  prompt_mismatch: 'implicit-prompt pair whose first user turn differs between chosen and rejected (no shared prefix up to the last turn).',
  prompt_divergence: 'HH pair whose first Human turn differs between chosen and rejected.',
  empty_final_assistant: 'HH rejected transcript ends with `\\n\\nAssistant:` and nothing after it.',
  empty_response: 'KTO record whose assistant reply is `""`.',
  tie_for_best: 'UltraFeedback record whose two highest `overall_score` values are equal (which completion is "chosen" is ambiguous); the lowest score is still unique.',
  all_scores_equal: 'UltraFeedback record whose four completions all have `overall_score` 5 (no pair can be built from scores).',
};
