/**
 * In words, what counted the tokens, for the reports. `template` is audit.json's `template`: `chatml`,
 * `tokenizer`, `tokenizer:NAME` or `tokenizer:default+tool_use` (src/tokens/template.ts). A tokenizer's own
 * template may add text the records do not hold (Hermes 3's `default` adds a system turn "You are a helpful
 * assistant." to a conversation that has none), so its counts can differ from `chatml`'s.
 */
export function describeTemplate(template: string): string {
  if (template === 'chatml') return "chatmill's Hermes ChatML renderer (tools in the system turn)";
  if (template === 'tokenizer') return "the tokenizer's own chat_template";
  const m = /^tokenizer:(.+)$/.exec(template);
  if (!m) return template;
  const names = m[1].split('+');
  const own = 'it may add turns the records do not hold, such as a default system prompt';
  if (names.length === 1) return `the tokenizer's chat template \`${names[0]}\` for every record; ${own}`;
  if (names.includes('tool_use') && names.includes('default')) return `the tokenizer's chat templates: \`tool_use\` for records with tools, \`default\` for the others; ${own}`;
  return `the tokenizer's chat templates ${names.map((n) => `\`${n}\``).join(', ')}; ${own}`;
}
