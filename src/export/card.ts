import { stringify } from 'yaml';
import type { Audit, TokenBucket } from '../../schemas/audit.js';
import { columnsFor } from './columns.js';
import { frontMatter, groupByConfig, type ConfigGroup } from './card-meta.js';
import type { SplitResult } from './shard-writer.js';
import { formatSize } from './size.js';
import type { MixReport } from '../mix/stage.js';
import { mixUnit } from '../mix/collect.js';
import type { CurationStageReport } from '../checks/curation-log.js';

export interface Provenance {
  chatmillVersion: string;
  /** The pipeline file that produced the data, when there was one. */
  pipeline?: { path: string; sha256: string };
  inputs: { path: string; sha256: string }[];
  /** The curation steps each dataset ran, in order, with what they removed, rejected and flagged. */
  curation?: (CurationStageReport & { dataset: string })[];
}

export interface CardOptions {
  splits: SplitResult[];
  /** On-disk bytes per shard path. */
  fileSizes: Record<string, number>;
  provenance: Provenance;
  audit?: Audit;
  /** What each `mix` stage aimed at and built, by dataset name. */
  mixes?: { dataset: string; report: MixReport }[];
  /** Relative path of the mixture chart, when one was written. */
  chartPath?: string;
  /** `namespace/name` for the loading snippets; a placeholder is shown when absent. */
  repoId?: string;
  title?: string;
  license?: string;
  language?: string[];
  tags?: string[];
}

const n = (x: number) => x.toLocaleString('en-US');
const pct = (part: number, whole: number) => (whole ? `${((part / whole) * 100).toFixed(1)}%` : '–');
/** Table cells come from data (file names, categories): keep them from breaking the table or injecting markup. */
const cell = (s: string) => s.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');

function overview(groups: ConfigGroup[]): string[] {
  const lines = ['| config | kind | split | rows | shards | size (uncompressed) |', '|---|---|---|---:|---:|---:|'];
  for (const g of groups)
    for (const s of g.splits)
      lines.push(`| \`${g.config}\` | ${g.kind.toUpperCase()} | ${s.split} | ${n(s.numRows)} | ${s.files.length} | ${formatSize(s.numBytes)} |`);
  return lines;
}

function bucketTable(title: string, buckets: Record<string, TokenBucket>): string[] {
  const rows = Object.entries(buckets).sort((a, b) => b[1].tokens - a[1].tokens || a[0].localeCompare(b[0]));
  return [
    `**${title}**`,
    '',
    `| ${title.replace(/^By /, '')} | records | instruction tokens | response tokens | response share |`,
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      ([k, b]) => `| ${cell(k)} | ${n(b.records)} | ${n(b.instruction_tokens)} | ${n(b.response_tokens)} | ${pct(b.response_tokens, b.tokens)} |`,
    ),
    '',
  ];
}

function mixture(audit: Audit, chartPath?: string): string[] {
  return [
    '## Token mixture',
    '',
    `Counted with the \`${cell(audit.tokenizer.name)}\` tokenizer (vocabulary ${n(audit.tokenizer.vocab_size)}) on the \`${cell(audit.template)}\` template:`,
    `${n(audit.records)} records, ${n(audit.tokens)} tokens, of which ${n(audit.instruction_tokens)} instruction`,
    `(system, user and tool turns: not trained on) and ${n(audit.response_tokens)} response (assistant turns: trained on),`,
    `a response share of ${pct(audit.response_tokens, audit.tokens)}.`,
    '',
    ...(chartPath ? [`![Instruction vs response tokens by category and by source](${chartPath})`, ''] : []),
    ...bucketTable('By category', audit.by_category),
    ...bucketTable('By source', audit.by_source),
  ];
}

function recordFormat(groups: ConfigGroup[]): string[] {
  const out = ['## Record format', ''];
  for (const g of groups) out.push(`Config \`${g.config}\` columns: ${columnsFor(g.kind, g.toolFormat).map((c) => `\`${c.name}\``).join(', ')}.`, '');
  const structured = groups.filter((g) => g.kind === 'sft' && g.toolFormat === 'structured').map((g) => `\`${g.config}\``);
  out.push(
    'Conversations are lists of `{role, content}` turns with roles `system`, `user`, `assistant` and `tool`. A model sees',
    'each turn as ChatML: `<|im_start|>{role}\\n{content}<|im_end|>\\n`. Tool use follows the Hermes function-calling',
    'convention: the `tools` column holds the OpenAI-style function schemas as a JSON string (null when the record has',
    'none; per-row schemas differ too much for a fixed column type), to be listed inside `<tools></tools>` in the system',
    'turn; an assistant calls a function with `<tool_call>{"name": ..., "arguments": {...}}</tool_call>`, and the result',
    'comes back in a `tool` turn wrapped in `<tool_response></tool_response>`.',
    ...(structured.length
      ? [
          `In ${structured.join(', ')}, \`messages\` is a list of JSON turns (\`List(Json())\`) in TRL's tool-calling shape: an`,
          'assistant turn lists its calls in `tool_calls` (`{id?, type: "function", function: {name, arguments}}`, `arguments`',
          'a JSON string), a `tool` turn holds the raw output with `name` and `tool_call_id`; chat templates render them.',
          'Elsewhere tool calls and results are Hermes text inside `content`.',
        ]
      : ['Tool calls and results are Hermes text inside `content`.']),
    '',
    'Token counts (`n_*_tokens`) are null when no tokenizer was configured. `source`, `index` and `format` trace each row',
    'back to its input file and position.',
    '',
  );
  return out;
}

function usage(groups: ConfigGroup[], repo: string): string[] {
  const sft = groups.find((g) => g.kind === 'sft')?.config;
  const dpo = groups.find((g) => g.kind === 'dpo')?.config;
  const out = ['## Use', '', '```python', 'from datasets import load_dataset', ''];
  for (const g of groups) out.push(`${g.config} = load_dataset("${repo}", "${g.config}", split="${g.splits[0].split}")`);
  out.push('```', '');
  if (sft)
    out.push(
      'Supervised fine-tuning with TRL (the `messages` column is picked up as a conversation):',
      '',
      '```python',
      'from trl import SFTConfig, SFTTrainer',
      '',
      `trainer = SFTTrainer(model="your/base-model", train_dataset=${sft}, args=SFTConfig(output_dir="out"))`,
      'trainer.train()',
      '```',
      '',
      'Or with axolotl:',
      '',
      '```yaml',
      'datasets:',
      `  - path: ${repo}`,
      `    name: ${sft}`,
      '    type: chat_template',
      '    field_messages: messages',
      '    chat_template: chatml',
      '```',
      '',
    );
  if (dpo)
    out.push(
      'Preference tuning with TRL (`prompt`, `chosen`, `rejected` are conversational):',
      '',
      '```python',
      'from trl import DPOConfig, DPOTrainer',
      '',
      `trainer = DPOTrainer(model="your/sft-model", train_dataset=${dpo}, args=DPOConfig(output_dir="out"))`,
      'trainer.train()',
      '```',
      '',
    );
  return out;
}

function provenance(p: Provenance): string[] {
  return [
    '## Provenance',
    '',
    `Built with chatmill ${p.chatmillVersion}${p.pipeline ? ` from the pipeline \`${cell(p.pipeline.path)}\` (sha256 \`${p.pipeline.sha256}\`)` : ''}.`,
    '',
    '| input file | sha256 |',
    '|---|---|',
    ...p.inputs.map((i) => `| ${cell(i.path)} | \`${i.sha256}\` |`),
    '',
    ...curationSteps(p.curation ?? []),
    'Every file of this dataset is listed with its size and sha256 in `manifest.json`.',
    '',
  ];
}

/** The curation steps in the order they ran, with their settings and counts (the audit has the details). */
function curationSteps(steps: (CurationStageReport & { dataset: string })[]): string[] {
  if (!steps.length) return [];
  const settings = (s: Record<string, unknown>) => Object.entries(s).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
  const reasons = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${k} ${n(v)}`).join(', ');
  return [
    'Curation steps, in the order they ran (every removed record is listed with its reason and evidence in the run\'s `dropped.jsonl`, every rejected one in `rejects.jsonl`):',
    '',
    '| config | step | settings | records in | removed | rejected | flagged | reasons |',
    '|---|---|---|---:|---:|---:|---:|---|',
    ...steps.map((s) => `| ${cell(s.dataset)} | ${cell(s.stage)} | ${cell(settings(s.settings)) || 'defaults'} | ${n(s.records)} | ${n(s.removed)} | ${n(s.rejected)} | ${n(s.flagged)} | ${cell(reasons(s.byReason)) || '–'} |`),
    '',
  ];
}

const share = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Target against achieved, per group of each mix stage: the numbers a reader needs to trust the recipe. */
function mixSections(mixes: { dataset: string; report: MixReport }[]): string[] {
  const out: string[] = [];
  for (const { dataset, report: r } of mixes) {
    const unit = mixUnit(r.count);
    out.push(
      `## Mixture built to a target (\`${cell(dataset)}\`)`,
      '',
      `Built by chatmill's \`mix\` stage: target \`${cell(r.target)}\`, grouped by \`${cell(r.by)}\`, counting ${unit}, each record used at most ${r.max_epochs} times, seed ${r.seed}, records chosen by \`${cell(r.within)}\` when a group is cut.`,
      `Budget ${n(r.totalBudget)} ${unit}; built ${n(r.totalAchieved)} (${r.totalBudget ? `${(((r.totalAchieved - r.totalBudget) / r.totalBudget) * 100).toFixed(2)}%` : '–'} off).`,
      '',
      `| group | target share | built share | budget | built | records | repeats | left out | within 1% |`,
      '|---|---:|---:|---:|---:|---:|---:|---:|---|',
      ...r.groups.map(
        (g) =>
          `| ${cell(g.group)} | ${share(g.share)} | ${r.totalAchieved ? share(g.achieved / r.totalAchieved) : '–'} | ${n(g.budget)} | ${n(Math.round(g.achieved))} | ${n(g.kept)} of ${n(g.records)} | ${n(g.repeats)} | ${n(g.dropped)} | ${g.met ? 'yes' : g.shortfall > 0 ? `no: short by ${n(Math.round(g.shortfall))}` : 'no: as close as whole records allow'} |`,
      ),
      '',
    );
    if (r.others.records) {
      const names = Object.keys(r.others.groups).map(cell).join(', ');
      out.push(`${n(r.others.records)} records (${n(r.others.tokens)} ${unit}) in groups outside the target (${names}) were ${r.others.policy === 'drop' ? 'left out' : 'kept as they are'}.`, '');
    }
  }
  return out;
}

/** The whole `README.md`: YAML front matter the Hub reads, then a card a person wants to read. */
export function renderCard(o: CardOptions): string {
  const groups = groupByConfig(o.splits);
  const meta = frontMatter({
    groups,
    fileSizes: o.fileSizes,
    license: o.license ?? 'other',
    language: o.language ?? ['en'],
    tags: o.tags ?? ['chatml', 'chatmill', ...new Set(groups.map((g) => g.kind))],
  });
  const rows = o.splits.reduce((s, x) => s + x.numRows, 0);
  const body = [
    `# ${o.title ?? 'Fine-tuning dataset'}`,
    '',
    `${n(rows)} records in ${groups.length} config${groups.length === 1 ? '' : 's'}, stored as Parquet shards under \`data/{config}/\`.`,
    '',
    ...overview(groups),
    '',
    ...(o.audit ? mixture(o.audit, o.chartPath) : []),
    ...mixSections(o.mixes ?? []),
    ...recordFormat(groups),
    ...usage(groups, o.repoId ?? 'your-namespace/your-dataset'),
    ...provenance(o.provenance),
  ];
  return `---\n${stringify(meta, { lineWidth: 0 })}---\n\n${body.join('\n')}`;
}
