import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { chatmill } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';
import { PREF_RECORD, jsonlFile } from './helpers.js';

/**
 * Issue 10, item 12f: yargs reads `abc` as NaN and takes `-1` as given, so every numeric option must be
 * checked by us. Each bad value is a usage error (exit 2) naming the option, before any data moves.
 */
describe('numeric options refuse values that are not numbers or out of range', () => {
  const sft = jsonlFile('in.jsonl', 2);
  const pref = jsonlFile('pref.jsonl', 2, PREF_RECORD);
  const cases: [string, string[]][] = [];
  for (const cmd of ['validate', 'convert', 'audit']) {
    const extra = cmd === 'convert' ? ['-o', join(tmp(), 'o.jsonl')] : cmd === 'audit' ? ['--out', tmp()] : [];
    for (const bad of ['abc', '-1']) cases.push(['--long-turn-chars', [cmd, sft, ...extra, '--long-turn-chars', bad]]);
  }
  for (const bad of ['0', '2.5']) cases.push(['--long-turn-chars', ['validate', sft, '--long-turn-chars', bad]]);
  for (const opt of ['--max-depth', '--max-record-bytes']) {
    for (const bad of ['abc', '-1']) cases.push([opt, ['convert', sft, '-o', join(tmp(), 'o.jsonl'), opt, bad]]);
  }
  for (const [opt, bad] of [['--max-length', 'abc'], ['--max-length', '-1'], ['--seq-len', '0'], ['--workers', 'x'], ['--target-response-share', '1.5'], ['--target-response-share', 'abc']])
    cases.push([opt, ['audit', sft, '--out', tmp(), opt, bad]]);
  for (const [opt, bad] of [['--min-margin', 'abc'], ['--min-margin', '-1'], ['--seed', 'abc'], ['--seed', '1.5']])
    cases.push([opt, ['pairs', pref, '-o', join(tmp(), 'p.jsonl'), '--no-tokens', opt, bad]]);
  for (const bad of ['abc', '0', '0MB']) cases.push(['--max-shard-size', ['export', sft, '--out', tmp(), '--max-shard-size', bad]]);

  it.each(cases)('%s: %j', async (opt, args) => {
    const r = await chatmill(args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(opt);
  });
});
