import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markerPath, prepareRun } from '../../src/distributed/run-dir.js';
import { UsageError } from '../../src/types.js';

describe('run.json: written once, then every attempt is checked against it', () => {
  let dir: string;
  let pipelinePath: string;
  let input: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chatmill-rundir-'));
    input = join(dir, 'a.jsonl');
    writeFileSync(input, '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}\n');
    pipelinePath = join(dir, 'p.yaml');
    writeFileSync(pipelinePath, `name: t\nout: ${join(dir, 'out')}\ndatasets:\n  sft:\n    inputs: [${input}]\n    stages:\n      - dedup: {}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records the pipeline hash, world size, inputs (size, sha256) and units with their ranks', async () => {
    const { runDir, outDir, run } = await prepareRun({ pipelinePath, worldSize: 2 });
    expect(outDir).toBe(join(dir, 'out'));
    expect(runDir).toBe(join(dir, 'out', '.run'));
    const saved = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    expect(saved).toEqual(run);
    expect(saved.worldSize).toBe(2);
    expect(saved.pipeline.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(saved.inputs).toEqual([expect.objectContaining({ path: input, size: readFileSync(input).length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect(saved.units).toEqual([{ id: 0, dataset: 'sft', path: input, rank: 0 }]);
    // The same plan again is accepted.
    await expect(prepareRun({ pipelinePath, worldSize: 2 })).resolves.toMatchObject({ runDir });
  });

  it('refuses a different world size, a changed input and a changed pipeline, naming each', async () => {
    await expect(prepareRun({ pipelinePath, worldSize: 3 })).rejects.toThrow(/world size changed \(2 → 3 ranks\)/);
    appendFileSync(input, '{"messages":[{"role":"user","content":"x"},{"role":"assistant","content":"y"}]}\n');
    await expect(prepareRun({ pipelinePath, worldSize: 2 })).rejects.toThrow(/a\.jsonl changed size/);
    appendFileSync(pipelinePath, '      - validate: {}\n');
    const err = await prepareRun({ pipelinePath, worldSize: 2 }).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toMatch(/pipeline file changed/);
    expect(err.message).toMatch(/--restart/);
  });

  it('restart clears the run directory and plans again', async () => {
    const { runDir } = await prepareRun({ pipelinePath, worldSize: 2 }).catch(() => ({ runDir: join(dir, 'out', '.run') }));
    const stale = markerPath(runDir, 'map', 0, 'completions');
    mkdirSync(join(stale, '..'), { recursive: true });
    writeFileSync(stale, '{}');
    const { run } = await prepareRun({ pipelinePath, worldSize: 3, restart: true });
    expect(run.worldSize).toBe(3);
    expect(existsSync(stale)).toBe(false);
  });

  it('markers live at phases/<phase>/<kind>/<rank:05d>, stats as .json', () => {
    expect(markerPath('/r', 'map', 7, 'completions')).toBe('/r/phases/map/completions/00007');
    expect(markerPath('/r', 'apply', 12, 'stats')).toBe('/r/phases/apply/stats/00012.json');
    expect(markerPath('/r', 'decide', 0, 'failures')).toBe('/r/phases/decide/failures/00000');
  });
});
