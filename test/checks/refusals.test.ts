/** Refusals and self-reference: warnings by default, drops when asked, phrase lists extensible, categories exempt. */
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { phraseMatcher } from '../../src/checks/refusals.js';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';

const rec = (id: string, assistant: string, extra: Record<string, unknown> = {}) => JSON.stringify({ id, messages: [{ role: 'user', content: `Question ${id}?` }, { role: 'assistant', content: assistant }], ...extra });

describe('the phrase matcher', () => {
  it('finds each kind, case-insensitively, with curly apostrophes read as straight ones', () => {
    const m = phraseMatcher();
    expect(m.find('I’m sorry, but I can’t help with making explosives.')).toEqual([{ kind: 'refusal', phrase: "I'm sorry, but I can't" }]);
    expect(m.find('as an AI language model, I cannot fulfill   that request')).toEqual([
      { kind: 'refusal', phrase: 'I cannot fulfill' },
      { kind: 'model_self_reference', phrase: 'As an AI language model' },
    ]);
    expect(m.find('I am ChatGPT, a model developed by OpenAI.').map((h) => h.kind)).toEqual(['model_self_reference']);
    expect(m.find('Sorry for the delay! Here is the answer you can use.')).toEqual([]);
  });

  it('a pipeline extends or replaces the lists', () => {
    expect(phraseMatcher({ phrases: { refusal: ['That is not something I will do'] } }).find('that is not something i will do.')).toEqual([{ kind: 'refusal', phrase: 'That is not something I will do' }]);
    const only = phraseMatcher({ replacePhrases: true, phrases: { model_self_reference: ['I am Hermes'] } });
    expect(only.find("I'm sorry, but I can't.")).toEqual([]);
    expect(only.find('I am Hermes.')).toEqual([{ kind: 'model_self_reference', phrase: 'I am Hermes' }]);
  });
});

describe('refusals through the CLI and a pipeline', () => {
  const input = () => {
    const dir = tmp();
    const path = join(dir, 'train.jsonl');
    writeFileSync(path, [
      rec('ok', 'Paris is the capital of France.'),
      rec('refuses', "I'm sorry, but I can't help with that request."),
      rec('self', 'As an AI language model, I have no opinions, but here is a summary.'),
      rec('steer', "I'm sorry, but I can't share instructions for that.", { category: 'steering' }),
      // A refusal in the user turn is not the model refusing.
      JSON.stringify({ id: 'user', messages: [{ role: 'user', content: "I'm sorry, but I can't make it today." }, { role: 'assistant', content: 'No problem, see you soon.' }] }),
    ].join('\n') + '\n');
    return { dir, path };
  };

  it('--refusals counts warnings and keeps everything; --drop-refusals drops the refusal with evidence', async () => {
    const { dir, path } = input();
    const warn = JSON.parse((await chatmill(['validate', path, '--refusals', '--json'])).stdout);
    expect(warn).toMatchObject({ read: 5, kept: 5, dropped: 0, warnings: { refusal: 1, model_self_reference: 1 } });
    const dropped = join(dir, 'dropped.jsonl');
    const r = await chatmill(['convert', path, '-o', join(dir, 'out.jsonl'), '--drop-refusals', '--dropped', dropped, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 5, kept: 4, dropped: 1, warnings: { model_self_reference: 1 } });
    const d = JSON.parse(readFileSync(dropped, 'utf8'));
    expect(d).toMatchObject({ id: 'refuses', reason: 'refusal', phrase: "I'm sorry, but I can't", turn: 1 });
  });

  it('a pipeline sets phrases, drops, and the exempt categories', async () => {
    const { dir, path } = input();
    const out = join(dir, 'out');
    const p = join(dir, 'p.yaml');
    writeFileSync(p, `name: r\nout: ${out}\ndatasets:\n  sft:\n    inputs: [${path}]\n    stages:\n      - refusals: { drop_refusals: true, drop_self_reference: true, exempt_categories: [], phrases: { refusal: ["No problem"] } }\n      - write: { path: sft.jsonl }\n`);
    const r = await chatmill(['run', p, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const drops = readFileSync(join(out, 'dropped.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(drops.map((x) => [x.id, x.reason])).toEqual([['refuses', 'refusal'], ['self', 'model_self_reference'], ['steer', 'refusal'], ['user', 'refusal']]);
    writeFileSync(p, `name: r\nout: ${out}\ndatasets:\n  sft:\n    inputs: [${path}]\n    stages:\n      - refusals: { drop_refusal: true }\n`);
    const bad = await chatmill(['run', p]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/drop_refusal/);
  });
});
