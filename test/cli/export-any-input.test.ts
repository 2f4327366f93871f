import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { haveRealdata, real } from '../helpers/realdata.js';
import { tmp } from '../read/helpers.js';
import { duckRows } from '../export/helpers.js';

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '').length;

describe('chatmill export takes any input', () => {
  it.skipIf(!haveRealdata)("LLaMA-Factory's alpaca_en_demo.json exports as it is, with a summary-only stderr", async () => {
    const file = real('llamafactory/alpaca_en_demo.json');
    const out = join(tmp(), 'ds');
    const r = await chatmill(['export', file, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stderr)).toBeLessThan(20);
    const s = JSON.parse(r.stdout);
    // 999 Alpaca records in the file (LLaMA-Factory's demo set), every one valid.
    expect(s).toMatchObject({ read: 999, kept: 999, rejected: 0, dropped: 0, configs: [{ config: 'sft', split: 'train', rows: 999, shards: 1 }] });
    expect(s.files[0].format).toBe('alpaca');
    const records = JSON.parse(readFileSync(file, 'utf8')) as Array<{ instruction: string; input: string; output: string }>;
    const rows = await duckRows(`SELECT index, messages FROM read_parquet('${out}/data/sft/*.parquet') ORDER BY index`);
    expect(rows).toHaveLength(999);
    // Alpaca's rule: the user turn is the instruction, then "\n" and the input when it is not empty.
    for (const i of [0, 500, 998]) {
      const rec = records[i];
      const user = rec.input ? `${rec.instruction}\n${rec.input}` : rec.instruction;
      // SFT turns are JSON objects in TRL's tool-calling shape (docs/export.md#tool-calls).
      expect((rows[i].messages as string[]).map((t) => JSON.parse(t))).toEqual([
        { role: 'user', content: user },
        { role: 'assistant', content: rec.output },
      ]);
    }
    expect(existsSync(join(out, 'manifest.json'))).toBe(true);
  }, 60_000);

  it('one file mixing raw SFT, raw preference data, and chatmill records: each kind to its config, convert options apply', async () => {
    const dir = tmp();
    const input = join(dir, 'mixed.jsonl');
    const openai = { messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }] };
    const ownSft = {
      id: 'own-1', source: 'earlier.jsonl', index: 4, format: 'sharegpt', category: 'general',
      messages: [{ role: 'user', content: 'Capital of France?' }, { role: 'assistant', content: 'Paris.' }],
      n_tokens: 21, n_instruction_tokens: 15, n_response_tokens: 6,
    };
    // Single-quoted Hermes tool call: normalization rewrites it, so the old counts no longer hold.
    const ownStale = {
      id: 'own-2', source: 'earlier.jsonl', index: 5, format: 'hermes',
      messages: [{ role: 'user', content: 'Call f.' }, { role: 'assistant', content: "<tool_call>\n{'name': 'f', 'arguments': {}}\n</tool_call>" }],
      n_tokens: 30, n_instruction_tokens: 20, n_response_tokens: 10,
    };
    const ownPair = {
      id: 'prefs.jsonl:3', source: 'prefs.jsonl', index: 3, format: 'explicit',
      prompt: [{ role: 'user', content: 'Sky?' }], chosen: [{ role: 'assistant', content: 'Blue.' }], rejected: [{ role: 'assistant', content: 'Green.' }],
      score_chosen: null, score_rejected: null, margin: null, n_prompt_tokens: 9, n_chosen_tokens: 4, n_rejected_tokens: 4,
    };
    const records = [
      openai, // 0 kept (sft)
      { instruction: 'Add', input: '1+1', output: '2' }, // 1 kept (sft)
      openai, // 2 dropped: duplicate (--dedup)
      { messages: [{ role: 'user', content: 'no answer' }] }, // 3 rejected: no_assistant_turn
      { prompt: 'The sky is', chosen: ' blue.', rejected: ' green.' }, // 4 kept (dpo, paired)
      { instruction: 'Name a color.', output_1: 'Red.', output_2: 'Blue.', preference: 1.5 }, // 5 dropped: tie
      ownSft, // 6 kept (sft, counts kept)
      ownStale, // 7 kept (sft, counts dropped)
      ownPair, // 8 kept (dpo, as it is)
      { prompt: [{ role: 'user', content: 'Sky?' }], completion: [{ role: 'assistant', content: 'Blue.' }], label: true }, // 9 kept (kto)
    ];
    writeFileSync(input, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const out = join(dir, 'ds');
    const rejects = join(dir, 'rejects.jsonl');
    const dropped = join(dir, 'dropped.jsonl');
    const r = await chatmill(['export', input, '--out', out, '--dedup', '--rejects', rejects, '--dropped', dropped, '--json']);
    expect(r.code, r.stderr).toBe(1); // a rejected record fails export, after the dataset is written
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ read: 10, kept: 7, rejected: 1, dropped: 2, reasons: { no_assistant_turn: 1 } });
    expect(s.files[0]).toMatchObject({ read: 10, kept: 7, rejected: 1, dropped: 2, format: 'mixed' });
    expect(Object.fromEntries(s.configs.map((c: { config: string; rows: number }) => [c.config, c.rows]))).toEqual({ sft: 4, dpo: 2, kto: 1 });
    expect(readFileSync(rejects, 'utf8').trim().split('\n').map((l) => JSON.parse(l).index)).toEqual([3]);
    expect(readFileSync(dropped, 'utf8').trim().split('\n').map((l) => [JSON.parse(l).index, JSON.parse(l).reason])).toEqual([
      [2, 'duplicate'],
      [5, 'tie'],
    ]);

    const sft = await duckRows(`SELECT id, n_tokens, n_response_tokens FROM read_parquet('${out}/data/sft/*.parquet') ORDER BY index`);
    const byId = Object.fromEntries(sft.map((row) => [row.id, row]));
    expect(byId['own-1']).toMatchObject({ n_tokens: 21n, n_response_tokens: 6n });
    expect(byId['own-2']).toMatchObject({ n_tokens: null, n_response_tokens: null });
    const dpo = await duckRows(`SELECT id, format, n_prompt_tokens, prompt FROM read_parquet('${out}/data/dpo/*.parquet') ORDER BY index`);
    expect(dpo.map((row) => [row.id, row.format, row.n_prompt_tokens])).toEqual([
      ['prefs.jsonl:3', 'explicit', 9n],
      ['mixed.jsonl:4', 'explicit', null],
    ]);
    // TRL's prompt extraction for the raw text pair: the shared prefix, the space going to the completions.
    expect(dpo[1].prompt).toEqual([{ role: 'user', content: 'The sky is' }]);
  }, 60_000);

  it('when every record is rejected: exit 1, the summary says why, and no dataset folder is written', async () => {
    const dir = tmp();
    const input = join(dir, 'bad.jsonl');
    writeFileSync(input, 'not json\n{"messages": []}\n');
    const out = join(dir, 'ds');
    const r = await chatmill(['export', input, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not_json');
    expect(r.stderr).toContain('no records to export');
    expect(existsSync(out)).toBe(false);
  });

  it('shares convert\'s option checks: a bad count is a usage error before anything is written', async () => {
    const dir = tmp();
    const r = await chatmill(['export', join(dir, 'x.jsonl'), '--out', join(dir, 'ds'), '--max-depth', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--max-depth must be a positive whole number');
  });
});
