/**
 * The Hermes 3 SFT mixture as published in the Hermes 3 technical report (Nous Research, 2024):
 * tokens per category, in millions, and the share of response tokens. Facts used as a yardstick only.
 */
export const hermes3Mixture: ReadonlyArray<{ category: string; millions: number }> = [
  { category: 'general', millions: 236 },
  { category: 'domain expert', millions: 50 },
  { category: 'math', millions: 26 },
  { category: 'roleplay', millions: 24 },
  { category: 'coding', millions: 18 },
  { category: 'tool use', millions: 17 },
  { category: 'content generation', millions: 12 },
  { category: 'steering', millions: 10 },
];

export const hermes3ResponseShare = 0.69;

const hermes3Total = hermes3Mixture.reduce((sum, c) => sum + c.millions, 0);

// Names people commonly give the same buckets in their own pipeline configs.
const aliases: Record<string, string> = {
  'general instructions': 'general',
  'domain': 'domain expert',
  'domain expertise': 'domain expert',
  'expert': 'domain expert',
  'mathematics': 'math',
  'maths': 'math',
  'roleplaying': 'roleplay',
  'role play': 'roleplay',
  'code': 'coding',
  'programming': 'coding',
  'tools': 'tool use',
  'tool': 'tool use',
  'tool calling': 'tool use',
  'function calling': 'tool use',
  'agentic': 'tool use',
  'creative writing': 'content generation',
  'creative': 'content generation',
  'writing': 'content generation',
  'steerability': 'steering',
  'system prompt': 'steering',
};

/** The Hermes 3 category a category name of ours stands for (aliases understood), or undefined. */
export function hermes3CategoryFor(category: string): string | undefined {
  const key = category.toLowerCase().replace(/[_\-\s]+/g, ' ').trim();
  const name = Object.hasOwn(aliases, key) ? aliases[key] : key;
  return hermes3Mixture.some((c) => c.category === name) ? name : undefined;
}

/** The Hermes 3 share of total tokens for a category name of ours, or undefined when there is no counterpart. */
export function hermes3ShareFor(category: string): number | undefined {
  const name = hermes3CategoryFor(category);
  const hit = hermes3Mixture.find((c) => c.category === name);
  return hit ? hit.millions / hermes3Total : undefined;
}
