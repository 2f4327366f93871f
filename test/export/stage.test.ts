import { expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportStage } from '../../src/export/export-stage.js';
import { keep, type Keep, type StageContext } from '../../src/types.js';
import type { ExportRecord } from '../../src/export/rows.js';
import { SFT } from './records.js';
import { duckRows } from './helpers.js';

test('exportStage passes records through unchanged and writes them on finish', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'chatmill-export-stage-'));
  const stage = exportStage({ dir, config: 'sft', split: 'test', kind: 'sft', maxShardBytes: 1e6, compression: 'zstd' });
  const input = SFT.map((r) => keep<ExportRecord>({ source: r.source, index: r.index }, r, JSON.stringify(r)));
  async function* feed(): AsyncIterable<Keep<ExportRecord>> {
    yield* input;
  }
  const ctx: StageContext = { warn() {}, noteFormat() {} };
  const seen = [];
  for await (const o of stage.run(feed(), ctx)) seen.push(o);
  expect(seen).toEqual(input);
  expect(() => stage.result()).toThrow(/has not finished/);
  await stage.finish?.();
  const res = stage.result();
  expect(res.files.map((f) => f.path)).toEqual(['data/sft/test-00000-of-00001.parquet']);
  const rows = await duckRows(`SELECT id FROM read_parquet('${join(dir, res.files[0].path)}') ORDER BY id`);
  expect(rows.map((r) => r.id)).toEqual(SFT.map((r) => r.id).sort());
});
