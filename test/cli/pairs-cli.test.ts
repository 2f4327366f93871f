import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';

describe('chatmill pairs', () => {
  it('--json is validate\'s summary plus "pairs"; statistics go to --stats; same seed, same bytes', async () => {
    const dir = tmp();
    const input = join(dir, 'rated.jsonl');
    const rec = (p: string) =>
      JSON.stringify({ prompt: p, completions: [{ response: 'good', overall_score: 9 }, { response: 'ok', overall_score: 5 }, { response: 'bad', overall_score: 1 }] });
    writeFileSync(input, `${rec('a')}\n${rec('b')}\n${JSON.stringify({ prompt: 'c', chosen: 'same', rejected: 'same' })}\n`);
    const run = (out: string) => chatmill(['pairs', input, '-o', out, '--strategy', 'best-random', '--seed', '7', '--json', '--stats', join(dir, 'stats.json'), '--no-tokens']);
    const r = await run(join(dir, 'a.jsonl'));
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(Object.keys(s)).toEqual(['files', 'read', 'kept', 'rejected', 'dropped', 'reasons', 'warnings', 'pairs']);
    expect(s).toMatchObject({ read: 3, kept: 2, rejected: 1, pairs: 2, reasons: { identical_responses: 1 } });
    expect(JSON.parse(readFileSync(join(dir, 'stats.json'), 'utf8'))).toMatchObject({ pairs: 2 });
    await run(join(dir, 'b.jsonl'));
    expect(readFileSync(join(dir, 'b.jsonl'))).toEqual(readFileSync(join(dir, 'a.jsonl')));
  });
});
