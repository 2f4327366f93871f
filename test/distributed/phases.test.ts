import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './helpers.js';
import { chatmill } from '../helpers/cli.js';

const rec = (u: string, a: string) => JSON.stringify({ messages: [{ role: 'user', content: u }, { role: 'assistant', content: a }] });

describe('phases and markers (a pipeline without tokenize, so each process starts fast)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chatmill-phases-'));
    writeFileSync(join(dir, 'a.jsonl'), [rec('q1', 'a1'), rec('q2', 'a2'), '{"broken', rec('q3', 'a3')].join('\n') + '\n');
    writeFileSync(join(dir, 'b.jsonl'), [rec('q2', 'a2'), rec('q4', 'a4'), rec('q1', 'a1')].join('\n') + '\n');
    writeFileSync(join(dir, 'p.yaml'), 'name: t\nout: out\ndatasets:\n  sft:\n    inputs: [a.jsonl, b.jsonl]\n    stages:\n      - dedup: {}\n      - write: { path: sft.jsonl }\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const phase = (p: string, rank: number, world: number, extra: string[] = []) => run(dir, ['run', 'p.yaml', '--phase', p, '--rank', String(rank), '--world-size', String(world), '--out', 'multi', ...extra]);

  it('apply before decide fails with exit 2 and a failures marker naming what is missing', async () => {
    const r = await phase('apply', 0, 2);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/apply needs every decide rank complete; still missing: 0/);
    const failure = JSON.parse(readFileSync(join(dir, 'multi/.run/phases/apply/failures/00000'), 'utf8'));
    expect(failure).toMatchObject({ exitCode: 2, message: expect.stringMatching(/still missing/) });
    expect(existsSync(join(dir, 'multi/.run/phases/apply/started/00000'))).toBe(true);
    expect(existsSync(join(dir, 'multi/.run/phases/apply/completions/00000'))).toBe(false);
  });

  it('merge refuses while phases are incomplete', async () => {
    const r = await run(dir, ['merge', 'multi/.run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/phases not complete \(map: ranks 0, 1; decide: rank 0; apply: ranks 0, 1\)/);
  });

  it('2 ranks give the one-process result: duplicates across files and ranks dropped with duplicate_of', async () => {
    for (const r of [0, 1]) expect((await phase('map', r, 2)).code).toBe(0);
    expect((await phase('decide', 0, 1)).code).toBe(0);
    for (const r of [0, 1]) expect((await phase('apply', r, 2)).code).toBe(0);
    expect(existsSync(join(dir, 'multi/.run/phases/apply/failures/00000'))).toBe(false);
    const stats = JSON.parse(readFileSync(join(dir, 'multi/.run/phases/map/stats/00001.json'), 'utf8'));
    expect(stats).toMatchObject({ phase: 'map', rank: 1, worldSize: 2, units: 1, records: 3 });
    const merged = await run(dir, ['merge', 'multi/.run']);
    expect(merged.code, merged.stderr).toBe(0);
    const single = await run(dir, ['run', 'p.yaml', '--out', 'single']);
    expect(single.code).toBe(0);
    for (const f of ['sft.jsonl', 'rejects.jsonl', 'dropped.jsonl', 'summary.json']) expect(readFileSync(join(dir, 'multi', f), 'utf8'), f).toBe(readFileSync(join(dir, 'single', f), 'utf8'));
    const drops = readFileSync(join(dir, 'multi/dropped.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(drops.map((d) => [d.source, d.index, d.reason])).toEqual([['b.jsonl', 0, 'duplicate'], ['b.jsonl', 2, 'duplicate']]);
  });

  it('a finished rank exits 0 at once, saying so', async () => {
    const r = await phase('map', 1, 2);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/map rank 1 already complete/);
  });

  it('rank and world size come from the environment when no flag names them', async () => {
    const slurm = await chatmill(['run', 'p.yaml', '--phase', 'map', '--out', 'multi', '--json'], { cwd: dir, env: { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '2', CHATMILL_RANK: undefined, CHATMILL_WORLD_SIZE: undefined } });
    expect(slurm.code).toBe(0);
    expect(JSON.parse(slurm.stdout)).toMatchObject({ phase: 'map', rank: 1, worldSize: 2, skipped: true });
    const none = await chatmill(['run', 'p.yaml', '--phase', 'map', '--out', 'multi'], { cwd: dir, env: { SLURM_ARRAY_TASK_ID: undefined, CHATMILL_RANK: undefined, JOB_COMPLETION_INDEX: undefined, AWS_BATCH_JOB_ARRAY_INDEX: undefined } });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs this process's rank/);
  });

  it('without --phase, --rank is refused (run stays one process)', async () => {
    const r = await run(dir, ['run', 'p.yaml', '--rank', '0', '--world-size', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/go with --phase/);
  });
});
