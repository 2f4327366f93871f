import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPipelineFile, type RunFileResult } from '../../src/pipeline/run-file.js';
import { ROOT } from '../helpers/cli.js';
import { tmp } from '../read/helpers.js';

/**
 * The bundled data was written by scripts/make-data.mjs, which plants bad records on purpose and records
 * what it planted in data/manifest.json. The default pipeline must find exactly those: every planted
 * kind maps to one of our reason codes, duplicates are dropped, and nothing else is lost.
 */
const PLANTED_TO_REASON: Record<string, string> = {
  not_json_truncated: 'not_json',
  not_json_python_repr: 'not_json',
  not_object: 'not_object',
  no_assistant_turn: 'no_assistant_turn',
  empty_user_turn: 'empty_turn',
  unknown_role: 'unknown_role',
  system_not_first: 'system_not_first',
  tool_call_bad_json: 'tool_call_invalid_json',
  tool_call_unknown_tool: 'tool_not_in_tools',
  tool_result_without_call: 'tool_result_without_call',
  json_mode_schema_violation: 'json_mode_schema_violation',
  json_mode_invalid_json: 'json_mode_invalid_json',
  tool_arguments_invalid: 'tool_arguments_invalid',
  tool_response_name_mismatch: 'tool_response_name_mismatch',
};

/** Planted kinds the curation stages drop (to dropped.jsonl) rather than reject. */
const PLANTED_TO_DROP: Record<string, string> = {
  duplicate: 'duplicate',
  near_duplicate: 'near_duplicate',
  benchmark_leak: 'contaminated',
  refusal: 'refusal',
};

interface Planted {
  records: number;
  good: number;
  bad: Record<string, number>;
  warn?: Record<string, number>;
  curation?: {
    near_duplicates?: { index: number; source_index: number; edit_rate: number; jaccard: number }[];
    near_copies_kept?: { index: number; source_index: number; edit_rate: number; jaccard: number }[];
    benchmark_leaks?: { index: number; benchmark_index: number; benchmark_id: string }[];
  };
}

describe('the default pipeline on the bundled data', () => {
  let result: RunFileResult;
  let out: string;
  const manifest = JSON.parse(readFileSync(join(ROOT, 'data/manifest.json'), 'utf8')) as { sft: Record<string, Planted> };

  beforeAll(async () => {
    out = tmp();
    process.chdir(ROOT);
    result = await runPipelineFile({ pipelinePath: 'pipelines/hermes3.yaml', out });
  });

  it('finds exactly the planted bad SFT records, file by file', () => {
    const files = result.tally.summary().files;
    for (const [name, planted] of Object.entries(manifest.sft)) {
      const f = files.find((x) => x.path === `data/sft/${name}`);
      expect(f, name).toBeDefined();
      const duplicates = Object.entries(planted.bad).reduce((n, [k, v]) => (k in PLANTED_TO_DROP ? n + v : n), 0);
      const rejected = Object.entries(planted.bad).reduce((n, [k, v]) => (k in PLANTED_TO_DROP ? n : n + v), 0);
      expect({ file: name, read: f!.read, kept: f!.kept, rejected: f!.rejected, dropped: f!.dropped }).toEqual({
        file: name,
        read: planted.records,
        kept: planted.good,
        rejected,
        dropped: duplicates,
      });
    }
  });

  it('gives each planted kind its reason code', () => {
    const want: Record<string, number> = {};
    for (const planted of Object.values(manifest.sft)) {
      for (const [kind, n] of Object.entries(planted.bad)) {
        if (kind in PLANTED_TO_DROP) continue;
        const reason = PLANTED_TO_REASON[kind];
        expect(reason, `planted kind ${kind} has a reason mapping`).toBeDefined();
        want[reason] = (want[reason] ?? 0) + n;
      }
    }
    const rejects = readFileSync(join(out, 'rejects.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const got: Record<string, number> = {};
    for (const r of rejects.filter((r) => r.source.startsWith('data/sft/'))) got[r.reason] = (got[r.reason] ?? 0) + 1;
    expect(got).toEqual(want);
    for (const r of rejects) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['source', 'index', 'reason', 'message', 'path', 'raw']));
    }
  });

  it('drops each planted duplicate, near-duplicate, benchmark leak and refusal with its reason, and nothing else', () => {
    const want: Record<string, number> = {};
    for (const planted of Object.values(manifest.sft)) {
      for (const [kind, n] of Object.entries(planted.bad)) if (kind in PLANTED_TO_DROP) want[PLANTED_TO_DROP[kind]] = (want[PLANTED_TO_DROP[kind]] ?? 0) + n;
    }
    const drops = readFileSync(join(out, 'dropped.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((d) => d.source.startsWith('data/sft/'));
    const got: Record<string, number> = {};
    for (const d of drops) got[d.reason] = (got[d.reason] ?? 0) + 1;
    expect(got).toEqual(want);
    expect(want).toMatchObject({ near_duplicate: 6, contaminated: 9, refusal: 5 });
  });

  it('each planted near-duplicate is dropped as a copy of its source, with its similarity; far edits are kept', () => {
    const drops = readFileSync(join(out, 'dropped.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const sft = readFileSync(join(out, 'sft.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const idAt = (source: string, index: number) => sft.find((r) => r.source === source && r.index === index)?.id;
    let near = 0;
    for (const [name, planted] of Object.entries(manifest.sft)) {
      const source = `data/sft/${name}`;
      for (const p of planted.curation?.near_duplicates ?? []) {
        const d = drops.find((x) => x.source === source && x.index === p.index);
        expect(d, `${name}[${p.index}] (edit rate ${p.edit_rate})`).toMatchObject({ reason: 'near_duplicate', duplicate_of: idAt(source, p.source_index) });
        expect(d.similarity).toBeGreaterThanOrEqual(0.8);
        near++;
      }
      for (const p of planted.curation?.near_copies_kept ?? []) expect(idAt(source, p.index), `${name}[${p.index}] kept`).toBeDefined();
      for (const p of planted.curation?.benchmark_leaks ?? []) {
        const d = drops.find((x) => x.source === source && x.index === p.index);
        expect(d, `${name}[${p.index}]`).toMatchObject({ reason: 'contaminated', benchmark: 'chatmill-minibench', benchmark_index: p.benchmark_index, benchmark_id: p.benchmark_id, overlap: 1 });
      }
    }
    expect(near).toBe(6);
  });

  it('the audit has a Curation section and the card lists the curation steps with their counts', () => {
    const md = readFileSync(join(out, 'audit.md'), 'utf8');
    for (const stage of ['json_mode', 'tool_arguments', 'refusals', 'dedup', 'decontaminate', 'near_dedup']) expect(md).toContain(`#### \`${stage}\``);
    expect(md).toMatch(/records checked: 6 removed, 0 rejected, 0 flagged \(`near_duplicate` 6\)/);
    expect(md).toContain('`threshold: 0.8`');
    expect(readFileSync(join(out, 'audit.html'), 'utf8')).toContain('<h2 id="curation">Curation</h2>');
    const card = readFileSync(join(out, 'dataset/README.md'), 'utf8');
    expect(card).toMatch(/\| sft \| decontaminate \| [^|]+ \| [\d,]+ \| 9 \| 0 \| 0 \| contaminated 9 \|/);
    expect(card).toMatch(/\| sft \| json\\_mode \| [^|]+ \| [\d,]+ \| 0 \| 5 \| 0 \|/);
  });

  it('counts the planted warnings', () => {
    const sum = (key: string) => Object.values(manifest.sft).reduce((n, p) => n + (p.warn?.[key] ?? 0), 0);
    const w = result.tally.summary().warnings;
    expect(w.template_placeholder).toBe(sum('template_placeholder'));
    expect(w.leading_trailing_whitespace).toBe(sum('whitespace_padding'));
    expect(w.model_self_reference).toBe(sum('model_self_reference'));
    expect(w.refusal).toBeUndefined(); // the default pipeline drops refusals
  });

  it('balances the books for every file and writes every output', () => {
    const s = result.tally.summary();
    for (const f of s.files) expect(f.read).toBe(f.kept + f.rejected + f.dropped);
    for (const p of ['audit.json', 'audit.md', 'audit.html', 'sft.jsonl', 'dpo.jsonl', 'rejects.jsonl', 'dropped.jsonl', 'summary.json', 'dataset/README.md', 'dataset/manifest.json']) {
      expect(existsSync(join(out, p)), p).toBe(true);
    }
    const audit = JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8'));
    const sftKept = s.files.filter((f) => f.path.startsWith('data/sft/')).reduce((n, f) => n + f.kept, 0);
    expect(audit.records).toBe(sftKept);
    expect(audit.instruction_tokens + audit.response_tokens).toBe(audit.tokens);
  });
});
