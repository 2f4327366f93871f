import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { REALDATA, haveRealdata } from '../helpers/realdata.js';
// Plain .mjs, shared with `node bench/fuzz.mjs` (one copy of the fuzzer and the checks).
import { loadSeeds } from './seeds.mjs';
import { buildCorpus } from './corpus.mjs';
import { fuzzCommands } from './harness.mjs';

/**
 * Issue 10, "Fuzzing in the suite": ≥ 20,000 mutated real records, in JSONL, JSON arrays, `.json` objects,
 * gzip (whole, truncated, corrupted) and Parquet, through the real `validate`, `convert`, `audit` and `pairs`.
 * One CLI run per command over all the files: a fault in one file must stay in that file.
 *
 * Checks (test/fuzz/harness.mjs): no crash (no signal, no stack or uncaught error on stderr), exit code in
 * {0, 1, 2}, per-file read = kept + rejected + dropped, every (source, index) in exactly one of kept/rejects/
 * dropped and as many of them as `read`, `read` equal to what the corpus writer put in each file (or within the
 * range its damage allows), and `convert` keeps nothing too deep, no lone surrogate, no non-finite number,
 * keeps big integers' digits and a top-level `__proto__` key in `meta`; converting convert's output gives the same bytes.
 *
 * Several of these fail on code without the issue-10 fixes (items 2, 3, 4, 6, 8, 9, 11, 12a/e): that is the
 * point; they are not relaxed here.
 */
const SEED = 20_261_130;

describe.skipIf(!haveRealdata)('fuzz: mutated real records through the CLI', () => {
  let dir: string;
  let outcome: Awaited<ReturnType<typeof fuzzCommands>>;
  let records = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chatmill-fuzz-'));
    const corpus = await buildCorpus({ seeds: loadSeeds(REALDATA), dir, seed: SEED, scale: 1 });
    records = corpus.records;
    outcome = await fuzzCommands({
      files: corpus.files,
      dir,
      run: async (args) => {
        const r = await chatmill(args);
        return { ...r, signal: null };
      },
    });
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes at least 20,000 mutated records', () => {
    expect(records).toBeGreaterThanOrEqual(20_000);
  });

  it.each(['validate', 'convert', 'audit', 'pairs'])('%s: exits 0, 1 or 2 without a crash', (name) => {
    const r = outcome.results[name];
    expect([0, 1, 2]).toContain(r.code);
    expect(outcome.violations.filter((v) => v.command === name && (v.check === 'crash' || v.check === 'exit_code'))).toEqual([]);
  });

  it.each(['validate', 'convert', 'audit', 'pairs'])('%s: every file conserved, every record in exactly one output, read counts as written', (name) => {
    expect(outcome.violations.filter((v) => v.command === name && v.check !== 'crash' && v.check !== 'exit_code')).toEqual([]);
  });

  it('validate, convert, audit and pairs agree on what was read and rejected', () => {
    expect(outcome.violations.filter((v) => v.check === 'cross')).toEqual([]);
  });

  it("convert reads its own output back unchanged (same bytes, every record kept)", () => {
    expect(outcome.violations.filter((v) => v.command === 'roundtrip')).toEqual([]);
  });
});
