import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import type { Conversation } from '../../schemas/chatml.js';
import { normalizeRecord } from '../../src/formats/normalize.js';
import { resolveTokenizerFiles, type TokenizerFiles } from '../../src/tokens/source.js';
import { buildTokenizeStage, expectedTokensOfFiles, startTokenizeWorkers } from '../../src/parallel/tokenize-stage.js';
import { BIN } from '../helpers/cli.js';
import type { Keep, Outcome } from '../../src/types.js';
import { makeGenerator } from '../../bench/corpus.mjs';

async function* items(convs: Conversation[]): AsyncGenerator<Keep<Conversation>> {
  for (const [i, c] of convs.entries()) yield { kind: 'keep', ref: { source: 't', index: i }, value: c, raw: '' };
}

/** The first `count` generated conversations (phrase-bank generator, `seed`) that normalize cleanly. */
function generated(seed: number, count: number): Conversation[] {
  const next = makeGenerator(seed);
  const convs: Conversation[] = [];
  for (let i = 0; convs.length < count; i++) {
    const r = normalizeRecord(JSON.parse(next(i)), { source: 't', index: i }, {});
    if (r.ok) convs.push(r.conversation);
  }
  return convs;
}

describe('tokenize on worker threads', () => {
  it('gives the same outcomes, in input order, as the single-thread stage (incl. truncate and over-length)', async () => {
    const convs = generated(11, 700);
    const files = await resolveTokenizerFiles({ spec: 'hermes3' });
    const run = async (workers: number) => {
      const over: number[] = [];
      const setup = await buildTokenizeStage({
        files, template: { kind: 'chatml' }, policy: { trainOnEos: 'turn', rolesToTrain: ['assistant'], lastTurnOnly: false },
        maxLength: 600, overLength: 'truncate', workers, onOverLength: (c) => over.push(c.index), inlineTokens: 0,
      });
      const out: Outcome<Conversation>[] = [];
      for await (const o of setup.stage.run(items(convs), { warn: () => undefined, noteFormat: () => undefined })) out.push(o);
      await setup.stage.finish?.();
      return { out, over, workers: setup.workers };
    };
    const one = await run(1);
    const two = await run(2);
    const three = await run(3);
    // N threads: this one (reading, parsing) and N - 1 tokenize workers.
    expect(one.workers).toBe(0);
    expect(two.workers).toBe(1);
    expect(three.workers).toBe(2);
    expect(two.out).toEqual(one.out);
    expect(two.over).toEqual(one.over);
    expect(three.out).toEqual(one.out);
    expect(three.over).toEqual(one.over);
    expect(one.out.map((o) => o.ref.index)).toEqual(convs.map((_, i) => i));
    // The policy did something on this corpus: some records were cut and some dropped.
    expect(one.out.some((o) => o.kind === 'drop')).toBe(true);
    expect(one.out.some((o) => o.kind === 'keep' && o.value.meta?.truncated_from_messages !== undefined)).toBe(true);
  }, 60_000);

  it('with compiled tables, workers view the shared tables (tokenizer.json is never read) and start only for a big input', async () => {
    const convs = generated(12, 300);
    const resolved = await resolveTokenizerFiles({ spec: 'hermes3' });
    expect(resolved.compiled?.buffer).toBeInstanceOf(SharedArrayBuffer);
    // Reading tokenizer.json here would mean a worker builds its own copy.
    const files: TokenizerFiles = {
      name: resolved.name, sha256: resolved.sha256, config: resolved.config, compiled: resolved.compiled,
      get json(): Record<string, unknown> {
        throw new Error('tokenizer.json was read');
      },
    };
    const run = async (workers: number, inlineTokens?: number, expectedTokens?: number) => {
      const setup = await buildTokenizeStage({
        files, template: { kind: 'chatml' }, policy: { trainOnEos: 'turn', rolesToTrain: ['assistant'], lastTurnOnly: false },
        maxLength: 8192, overLength: 'keep', workers, inlineTokens, expectedTokens,
      });
      const startedBeforeInput = setup.started();
      const out: Outcome<Conversation>[] = [];
      for await (const o of setup.stage.run(items(convs), { warn: () => undefined, noteFormat: () => undefined })) out.push(o);
      const started = setup.started();
      await setup.stage.finish?.();
      return { out, started, startedBeforeInput };
    };
    const alone = await run(1);
    const small = await run(2);
    const eager = await run(2, 0);
    // Part inline, part on workers: the hand-over keeps the order.
    const mixed = await run(3, 20_000);
    expect(alone.started).toBe(0);
    expect(small.started).toBe(0);
    expect(eager.started).toBe(1);
    expect(mixed.started).toBe(2);
    // An input known to be big starts its workers with the first batch; one estimated under twice the inline
    // limit does not (these 300 records hold far fewer tokens than the limit, so only the estimate can start them).
    const known = await run(2, undefined, 1_200_000);
    const guessedSmall = await run(2, undefined, 1_199_999);
    expect(known.started).toBe(1);
    expect(guessedSmall.started).toBe(0);
    // The known-big input's worker starts as the stage is built, before the first record arrives.
    expect(known.startedBeforeInput).toBe(1);
    expect(guessedSmall.startedBeforeInput).toBe(0);
    expect(small.startedBeforeInput).toBe(0);
    expect(known.out).toEqual(alone.out);
    expect(small.out).toEqual(alone.out);
    expect(eager.out).toEqual(alone.out);
    expect(mixed.out).toEqual(alone.out);
    expect(alone.out.filter((o) => o.kind === 'keep')).toHaveLength(convs.length);
  }, 60_000);
});

describe('expectedTokensOfFiles (the estimate that starts workers early)', () => {
  it('counts a fifth of the bytes of JSON and JSON Lines files (a gzipped one as twice its size), and nothing for what it cannot size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chatmill-expected-'));
    try {
      writeFileSync(join(dir, 'a.jsonl'), 'x'.repeat(1000));
      writeFileSync(join(dir, 'b.JSON'), 'x'.repeat(501));
      // Compressed: JSON text holds at least twice its gzip size (2.5× for the bench's real-sentence corpus).
      writeFileSync(join(dir, 'c.jsonl.gz'), 'x'.repeat(10_000));
      writeFileSync(join(dir, 'd.parquet'), 'x'.repeat(10_000));
      writeFileSync(join(dir, 'e.txt.gz'), 'x'.repeat(10_000));
      // (1000 + 501 + 2 × 10,000) / 5, rounded down.
      expect(expectedTokensOfFiles([join(dir, 'a.jsonl'), join(dir, 'b.JSON'), join(dir, 'c.jsonl.gz'), join(dir, 'd.parquet'), join(dir, 'e.txt.gz'), join(dir, 'missing.jsonl'), '-'])).toBe(4300);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tokenize workers started before the tokenizer loads (startTokenizeWorkers)', () => {
  it('starts N - 1 workers only for an input known to be big, and the stage gives them their data', async () => {
    expect(startTokenizeWorkers({ workers: 2, expectedTokens: 1_199_999, inlineTokens: 600_000 })).toBeUndefined();
    expect(startTokenizeWorkers({ workers: 1, expectedTokens: 10_000_000 })).toBeUndefined();
    // An unchecked count starts nothing (the option check then reports it).
    expect(startTokenizeWorkers({ workers: 1.5, expectedTokens: 10_000_000 })).toBeUndefined();
    const started = startTokenizeWorkers({ workers: 3, expectedTokens: 1_200_000, inlineTokens: 600_000 });
    expect(started?.size).toBe(2);
    const start = vi.spyOn(started!, 'start');

    const convs = generated(13, 200);
    const files = await resolveTokenizerFiles({ spec: 'hermes3' });
    const options = { files, template: { kind: 'chatml' as const }, policy: { trainOnEos: 'turn' as const, rolesToTrain: ['assistant'], lastTurnOnly: false }, maxLength: 8192, overLength: 'keep' as const };
    const outcomes = async (setup: Awaited<ReturnType<typeof buildTokenizeStage>>) => {
      const out: Outcome<Conversation>[] = [];
      for await (const o of setup.stage.run(items(convs), { warn: () => undefined, noteFormat: () => undefined })) out.push(o);
      await setup.stage.finish?.();
      return out;
    };
    const setup = await buildTokenizeStage({ ...options, workers: 3, started, inlineTokens: 0 });
    // The stage used the threads it was given: it posted their data to them, once, as their first message.
    expect(start).toHaveBeenCalledTimes(1);
    expect(start.mock.calls[0][0]).toHaveProperty('init.name', files.name);
    expect(setup.started()).toBe(2);
    const withStarted = await outcomes(setup);
    const alone = await outcomes(await buildTokenizeStage({ ...options, workers: 1 }));
    expect(withStarted).toEqual(alone);
    expect(alone).toHaveLength(200);
  }, 60_000);

  it('chatmill audit exits with its usage error when an option is bad after the workers started', async () => {
    // Big enough by its size to start workers at once (2 × 600k tokens × 5 bytes).
    const dir = mkdtempSync(join(tmpdir(), 'chatmill-early-'));
    try {
      const big = join(dir, 'big.jsonl');
      const line = `${JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(1000) }, { role: 'assistant', content: 'y'.repeat(1000) }] })}\n`;
      writeFileSync(big, line.repeat(Math.ceil(6_100_000 / line.length)));
      expect(expectedTokensOfFiles([big])).toBeGreaterThanOrEqual(1_200_000);
      // Neither may wait on its idle worker threads: with them holding the event loop, the second one hung (a
      // 'message' listener added after unref() refs the worker again). A hung run is killed at the timeout.
      const audit = (extra: string[], out: string) =>
        spawnSync(process.execPath, [BIN, 'audit', big, '--out', join(dir, out), ...extra], { encoding: 'utf8', timeout: 30_000 });
      const badTokenizer = audit(['--tokenizer', join(dir, 'no-such-tokenizer.json')], 'a');
      const badEpochs = audit(['--max-epochs', '0'], 'b');
      expect(badTokenizer.error).toBeUndefined();
      expect(badTokenizer.status).toBe(2);
      expect(badTokenizer.stderr).toContain('no-such-tokenizer.json');
      expect(badEpochs.error).toBeUndefined();
      expect(badEpochs.status).toBe(2);
      expect(badEpochs.stderr).toContain('--max-epochs');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
