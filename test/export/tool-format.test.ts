/**
 * The export's tool format: `structured` (default) writes SFT turns as JSON in TRL's tool-calling shape;
 * `hermes-text` (chatmill export --tool-format, pipeline export.tool_format) keeps role/content turns with the
 * calls and results as Hermes text, as chatmill exported before tool calls were data.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ExportOptions, Pipeline } from '../../schemas/pipeline.js';
import { chatmill } from '../helpers/cli.js';
import { duckRows } from './helpers.js';
import { HERMES_TEXT, SFT } from './records.js';

const frontMatter = (dir: string) => {
  const text = readFileSync(join(dir, 'README.md'), 'utf8');
  return parse(text.slice(4, text.indexOf('\n---', 4))) as { dataset_info: { features: { name: string }[] }[] };
};

describe('chatmill export --tool-format', () => {
  const work = mkdtempSync(join(tmpdir(), 'chatmill-toolformat-'));
  const input = join(work, 'sft.jsonl');
  // conv-003's empty user turn would be rejected by export's validation (exit 1); this test is about tool turns.
  writeFileSync(input, SFT.filter((r) => r.id !== 'conv-003').map((r) => JSON.stringify(r)).join('\n') + '\n');

  it('hermes-text: role/content turns, the calls and results of conv-004 as Hermes text; the card says so', async () => {
    const out = join(work, 'hermes');
    const r = await chatmill(['export', input, '--out', out, '--tool-format', 'hermes-text']);
    expect(r.code, r.stderr).toBe(0);
    const rows = await duckRows(`SELECT id, messages FROM read_parquet('${out}/data/sft/*.parquet') WHERE id = 'conv-004'`);
    expect(rows[0].messages).toEqual(HERMES_TEXT['conv-004']);
    expect(frontMatter(out).dataset_info[0].features).toContainEqual({ name: 'messages', list: [{ name: 'role', dtype: 'string' }, { name: 'content', dtype: 'string' }] });
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('Tool calls and results are Hermes text inside `content`.');
  });

  it('structured (default): JSON turns, `list: json` in the card, and the card names the TRL shape', async () => {
    const out = join(work, 'structured');
    const r = await chatmill(['export', input, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = await duckRows(`SELECT id, messages FROM read_parquet('${out}/data/sft/*.parquet') WHERE id = 'conv-004'`);
    const turns = (rows[0].messages as string[]).map((t) => JSON.parse(t));
    expect(turns[1].tool_calls.map((c: { function: { name: string } }) => c.function.name)).toEqual(['get_weather', 'get_weather']);
    expect(frontMatter(out).dataset_info[0].features).toContainEqual({ name: 'messages', list: 'json' });
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain("in TRL's tool-calling shape");
  });

  it('an unknown format is a usage error (exit 2)', async () => {
    const r = await chatmill(['export', input, '--out', join(work, 'x'), '--tool-format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tool-format/);
  });
});

describe('pipeline export.tool_format', () => {
  it('defaults to structured, takes hermes-text, and names a bad value with its path', () => {
    expect(ExportOptions.parse({}).tool_format).toBe('structured');
    expect(ExportOptions.parse({ tool_format: 'hermes-text' }).tool_format).toBe('hermes-text');
    const good = { name: 'p', datasets: { sft: { kind: 'sft', inputs: ['a.jsonl'], stages: [{ export: { tool_format: 'hermes-text' } }] } } };
    expect(Pipeline.safeParse(good).success).toBe(true);
    const bad = Pipeline.safeParse({ ...good, datasets: { sft: { ...good.datasets.sft, stages: [{ export: { tool_format: 'xml' } }] } } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toContain('datasets.sft.stages.0.export.tool_format');
  });
});
