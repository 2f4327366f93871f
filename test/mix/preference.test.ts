/**
 * `mix` in a preference dataset: budgets in pairs (or tokens) per category, the same downsampling, repeats and
 * drops as for SFT, and the books per input file.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { mixItemOf } from '../../src/mix/item.js';

const pair = (category: string, i: number) =>
  JSON.stringify({
    prompt: [{ role: 'user', content: `Question ${category} ${i}?` }],
    chosen: [{ role: 'assistant', content: `A good answer to ${category} ${i}.` }],
    rejected: [{ role: 'assistant', content: 'No.' }],
    category,
  });

const readJsonl = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

async function runMix(mix: string) {
  const dir = await mkdtemp(join(tmpdir(), 'chatmill-pref-mix-'));
  // 5 pairs of category a, 2 of b, 1 of c, interleaved.
  const lines = [pair('a', 0), pair('b', 0), pair('a', 1), pair('c', 0), pair('a', 2), pair('a', 3), pair('b', 1), pair('a', 4)];
  await writeFile(join(dir, 'prefs.jsonl'), `${lines.join('\n')}\n`);
  await writeFile(
    join(dir, 'pipeline.yaml'),
    ['name: pref-mix', 'out: out', 'datasets:', '  dpo:', '    kind: preference', '    inputs: [prefs.jsonl]', '    stages:', '      - pairs: {}', `      - mix: ${mix}`, '      - write: { path: dpo.jsonl }', ''].join('\n'),
  );
  const r = await chatmill(['run', 'pipeline.yaml'], { cwd: dir });
  return { dir, r };
}

describe('mix in a preference dataset', () => {
  it('meets a budget in pairs per category: cuts a, repeats b, drops c, and the books balance', async () => {
    const { dir, r } = await runMix('{ target: { a: 3, b: 4 }, count: pairs, max_epochs: 2, seed: 7 }');
    expect(r.stderr).not.toMatch(/Error|error:/);
    expect(r.code).toBe(0);
    const out = await readJsonl(join(dir, 'out', 'dpo.jsonl'));
    const byCat = (c: string) => out.filter((p) => p.category === c);
    // a: 5 pairs for a budget of 3 → 3 kept once each. b: 2 pairs for 4 → each appears twice (max_epochs 2).
    expect(byCat('a')).toHaveLength(3);
    expect(new Set(byCat('a').map((p) => p.id)).size).toBe(3);
    expect(byCat('b')).toHaveLength(4);
    expect(byCat('b').filter((p) => p.repeat === 1)).toHaveLength(2);
    expect(byCat('c')).toHaveLength(0);

    const dropped = await readJsonl(join(dir, 'out', 'dropped.jsonl'));
    expect(dropped.map((d) => d.reason).sort()).toEqual(['not_in_target', 'over_budget', 'over_budget']);
    const over = dropped.find((d) => d.reason === 'over_budget');
    expect(over).toMatchObject({ group: 'a', budget: 3, used: 3 });

    const report = JSON.parse(await readFile(join(dir, 'out', 'dpo.mix.json'), 'utf8'));
    expect(report.count).toBe('pairs');
    expect(report.groups.map((g: { group: string; achieved: number; repeats: number; dropped: number }) => [g.group, g.achieved, g.repeats, g.dropped])).toEqual([
      ['a', 3, 0, 2],
      ['b', 4, 2, 0],
    ]);

    // Repeats are extra outputs, not records read: 8 read = 5 kept + 3 dropped.
    const summary = JSON.parse(await readFile(join(dir, 'out', 'summary.json'), 'utf8'));
    const file = summary.files.find((f: { path: string }) => f.path.endsWith('prefs.jsonl'));
    expect(file).toMatchObject({ read: 8, kept: 5, rejected: 0, dropped: 3 });
  });

  it('gives the same pairs for the same seed and may choose others for another seed', async () => {
    const ids = async (seed: number) => (await readJsonl(join((await runMix(`{ target: { a: 2 }, count: pairs, seed: ${seed}, others: keep }`)).dir, 'out', 'dpo.jsonl'))).map((p) => p.id);
    const first = await ids(1);
    expect(await ids(1)).toEqual(first);
    expect(first).toHaveLength(2 + 2 + 1); // 2 of a, then b and c kept as they are
    const seeds = await Promise.all([2, 3, 4, 5].map(ids));
    expect(seeds.some((s) => JSON.stringify(s) !== JSON.stringify(first))).toBe(true);
  });

  it("groups pairs by their input's category when the records carry none", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chatmill-pref-mix-'));
    const bare = (i: number) => pair('x', i).replace(',"category":"x"', '');
    await writeFile(join(dir, 'math.jsonl'), `${[0, 1, 2].map(bare).join('\n')}\n`);
    await writeFile(join(dir, 'chat.jsonl'), `${[3, 4].map(bare).join('\n')}\n`);
    await writeFile(
      join(dir, 'pipeline.yaml'),
      ['name: p', 'out: out', 'datasets:', '  dpo:', '    kind: preference', '    inputs:', '      - { path: math.jsonl, category: math }', '      - { path: chat.jsonl, category: chat }', '    stages:', '      - pairs: {}', '      - mix: { target: { math: 1, chat: 2 }, count: pairs }', '      - write: { path: dpo.jsonl }', ''].join('\n'),
    );
    const r = await chatmill(['run', 'pipeline.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    const out = await readJsonl(join(dir, 'out', 'dpo.jsonl'));
    expect(out.map((p) => p.category).sort()).toEqual(['chat', 'chat', 'math']);
  });

  it('refuses a token budget without a tokenize entry, before reading anything', async () => {
    const { r } = await runMix('{ target: { a: 0.5, b: 0.5 }, count: all }');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs a tokenize entry.*count: pairs/);
  });

  it('counts a pair as the tokens it stores: prompt + chosen + rejected (response: chosen + rejected)', () => {
    const p = { id: 'x', source: 's', index: 0, format: 'f', prompt: [], chosen: [], rejected: [], n_prompt_tokens: 10, n_chosen_tokens: 5, n_rejected_tokens: 7 };
    expect(mixItemOf(p as never)).toMatchObject({ n_tokens: 22, n_response_tokens: 12 });
    const k = { id: 'y', source: 's', index: 0, format: 'f', prompt: [], completion: [], label: true, n_prompt_tokens: 10, n_completion_tokens: 4 };
    expect(mixItemOf(k as never)).toMatchObject({ n_tokens: 14, n_response_tokens: 4 });
  });
});
