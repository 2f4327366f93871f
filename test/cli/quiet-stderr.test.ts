import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';

// A file of many bad records must give a summary on stderr, not one line per record (issue 13: export
// printed ~5,000 lines for LLaMA-Factory's alpaca_en_demo.json). --verbose lists every reject.
const BAD = 400;
const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '').length;

describe('stderr stays a summary on a file with many bad records; --verbose lists them', () => {
  let dir: string;
  let sft: string;
  let prefs: string;

  beforeAll(() => {
    dir = tmp();
    sft = join(dir, 'bad.jsonl');
    const good = JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }] });
    const bad = Array.from({ length: BAD }, (_, i) =>
      i % 2 ? `not json ${i}` : JSON.stringify({ messages: [{ role: 'user', content: `question ${i}` }] }),
    );
    writeFileSync(sft, `${good}\n${bad.join('\n')}\n`);
    prefs = join(dir, 'bad-prefs.jsonl');
    const pair = JSON.stringify({ prompt: 'Sky?', chosen: 'Blue.', rejected: 'Green.' });
    const badPairs = Array.from({ length: BAD }, (_, i) => JSON.stringify({ prompt: `q${i}`, chosen: 'same', rejected: 'same' }));
    writeFileSync(prefs, `${pair}\n${badPairs.join('\n')}\n`);
  });

  const cases: Array<[string, () => string[]]> = [
    ['validate', () => ['validate', sft]],
    ['convert', () => ['convert', sft, '-o', join(tmp(), 'o.jsonl')]],
    ['audit', () => ['audit', sft, '--out', tmp(), '--workers', '1']],
    ['export', () => ['export', sft, '--out', join(tmp(), 'ds')]],
    ['pairs', () => ['pairs', prefs, '-o', join(tmp(), 'p.jsonl'), '--no-tokens']],
  ];
  for (const [name, args] of cases) {
    it(`${name}: a summary by reason without --verbose, every reject with it`, async () => {
      const quiet = await chatmill(args());
      expect(quiet.code, quiet.stderr).not.toBe(2);
      expect(lines(quiet.stderr)).toBeLessThan(40);
      expect(quiet.stderr).not.toContain('chatmill: rejected');
      const loud = await chatmill([...args(), '--verbose']);
      expect(loud.code).toBe(quiet.code);
      const listed = loud.stderr.split('\n').filter((l) => l.startsWith('chatmill: rejected '));
      expect(listed).toHaveLength(BAD);
      // Each line says where and why: file:line, the reason code.
      expect(listed[0]).toMatch(/bad(-prefs)?\.jsonl:2( at \S+)?: [a-z_]+: /);
    }, 240_000); // audit loads the tokenizer twice: slow on a loaded machine
  }

  it('run: the same for a pipeline, --verbose listing OUT/rejects.jsonl', async () => {
    const out = tmp();
    const p = join(out, 'p.yaml');
    writeFileSync(p, `name: t\ndatasets:\n  sft:\n    inputs: [${sft}]\n    stages:\n      - write: { path: sft.jsonl }\n`);
    const quiet = await chatmill(['run', p, '--out', out]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(lines(quiet.stderr)).toBeLessThan(40);
    const loud = await chatmill(['run', p, '--out', out, '--verbose']);
    expect(loud.stderr.split('\n').filter((l) => l.startsWith('chatmill: rejected '))).toHaveLength(BAD);
  }, 60_000);
});
