/**
 * The curation stages as a user reaches them: `convert --decontaminate FILE --near-dedup` and the same stages in
 * a pipeline file. Drops land in dropped.jsonl with their evidence fields, and the books balance.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';

const question = 'A baker sells 24 loaves on Monday and twice as many on Tuesday. How many loaves did the baker sell over the two days in total?';
const long = 'Explain in detail how tides are caused by the gravitational pull of the moon and the sun, and why there are two high tides every day in most places along the coast of an ocean.';
const answer = Array.from({ length: 6 }, (_, i) => `Step ${i + 1} of the answer explains one more part of how the moon and sun move water around`).join('. ');
const rec = (id: string, user: string, assistant = 'Here is a careful answer with several steps of reasoning.') =>
  JSON.stringify({ id, messages: [{ role: 'user', content: user }, { role: 'assistant', content: assistant }] });

function files() {
  const dir = tmp();
  const bench = join(dir, 'mybench.jsonl');
  writeFileSync(bench, `${JSON.stringify({ question })}\n${JSON.stringify({ question: 'What is the capital city of the country that borders Spain to the north-east?' })}\n`);
  const input = join(dir, 'train.jsonl');
  writeFileSync(
    input,
    [
      rec('leak', `Please solve this for me step by step: ${question} Thanks!`),
      // One word of 36 in the user turn differs and the ~95-word answers are the same: 5 word 5-grams differ on
      // each side of ~125, a Jaccard near 0.92, above the 0.8 default (without the answer it would be 0.72).
      rec('orig', long, answer),
      rec('near', long.replace('most places', 'many places'), answer),
      rec('other', 'Write a short poem about autumn leaves falling in a quiet park at dusk.'),
    ].join('\n') + '\n',
  );
  return { dir, bench, input };
}

describe('curation through the CLI and a pipeline file', () => {
  it('convert --decontaminate --near-dedup: one contaminated drop, one near-duplicate drop, with evidence', async () => {
    const { dir, bench, input } = files();
    const dropped = join(dir, 'dropped.jsonl');
    const r = await chatmill(['convert', input, '-o', join(dir, 'out.jsonl'), '--dropped', dropped, '--json', '--near-dedup', '--decontaminate', bench]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 4, kept: 2, dropped: 2 });
    const drops = readFileSync(dropped, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(drops[0]).toMatchObject({ index: 0, reason: 'contaminated', id: 'leak', benchmark: 'mybench', benchmark_index: 0, overlap: 1 });
    expect(drops[1]).toMatchObject({ index: 2, reason: 'near_duplicate', id: 'near', duplicate_of: 'orig' });
    expect(drops[1].similarity).toBeGreaterThanOrEqual(0.8);
    expect(drops[1].similarity).toBeLessThan(1);
  });

  it('--decontaminate-mode report keeps the record and counts the warning', async () => {
    const { dir, bench, input } = files();
    const r = await chatmill(['validate', input, '--json', '--decontaminate-mode', 'report', '--decontaminate', bench]);
    expect(JSON.parse(r.stdout)).toMatchObject({ kept: 4, dropped: 0, warnings: { contaminated: 1 } });
    expect(r.code).toBe(0);
  });

  it('a pipeline with decontaminate and near_dedup stages gives the same drops; a bad threshold is exit 2', async () => {
    const { dir, bench, input } = files();
    const p = join(dir, 'p.yaml');
    const out = join(dir, 'out');
    writeFileSync(p, `name: c\nout: ${out}\ndatasets:\n  sft:\n    inputs: [${input}]\n    stages:\n      - decontaminate: { benchmarks: [${bench}] }\n      - near_dedup: {}\n      - write: { path: sft.jsonl }\n`);
    const r = await chatmill(['run', p, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const drops = readFileSync(join(out, 'dropped.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(drops.map((d) => [d.id, d.reason])).toEqual([['leak', 'contaminated'], ['near', 'near_duplicate']]);
    writeFileSync(p, `name: c\nout: ${out}\ndatasets:\n  sft:\n    inputs: [${input}]\n    stages:\n      - near_dedup: { threshold: 1.5 }\n`);
    const bad = await chatmill(['run', p]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/near_dedup\.threshold/);
  });
});
