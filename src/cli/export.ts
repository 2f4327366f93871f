import type { Argv, CommandModule } from 'yargs';
import { runCommandBody } from './exit.js';

interface ExportArgs {
  inputs: string[];
  out: string;
  config?: string;
  split: string;
  'max-shard-size': string;
  compression: 'zstd' | 'snappy';
  'tool-format': 'structured' | 'hermes-text';
  audit?: string;
  pipeline?: string;
  repo?: string;
  title?: string;
  license: string;
  language: string[];
}

/** `chatmill export`: normalized JSONL (what `convert` writes) -> Parquet shards, manifest.json and a dataset card. */
export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <inputs..>',
  describe: 'Write normalized JSONL records as Hugging Face-style Parquet shards with manifest and dataset card',
  builder: (y: Argv) =>
    y
      .positional('inputs', { type: 'string', array: true, demandOption: true, describe: 'normalized JSONL files' })
      .option('out', { type: 'string', demandOption: true, describe: 'dataset folder to write' })
      .option('config', { type: 'string', describe: 'config name (default: sft / dpo / kto by record kind)' })
      .option('split', { type: 'string', default: 'train' })
      .option('max-shard-size', { type: 'string', default: '500MB', describe: 'uncompressed bytes per shard (500MB, 1GB, 64MiB)' })
      .option('compression', { choices: ['zstd', 'snappy'] as const, default: 'zstd' as const })
      .option('tool-format', {
        choices: ['structured', 'hermes-text'] as const,
        default: 'structured' as const,
        describe: 'SFT tool calls as TRL tool_calls / tool turns, or as Hermes <tool_call> text inside content',
      })
      .option('audit', { type: 'string', describe: 'audit.json to put the token mixture into the card' })
      .option('pipeline', { type: 'string', describe: 'pipeline file to name (and hash) in the card' })
      .option('repo', { type: 'string', describe: 'namespace/name used in the card\'s loading examples' })
      .option('title', { type: 'string' })
      .option('license', { type: 'string', default: 'other' })
      .option('language', { type: 'string', array: true, default: ['en'] }) as unknown as Argv<ExportArgs>,
  handler: (argv) =>
    runCommandBody(async () => {
      const { runExport } = await import('../export/run-export.js');
      const summary = await runExport({
        inputs: argv.inputs,
        dir: argv.out,
        config: argv.config,
        split: argv.split,
        maxShardSize: argv['max-shard-size'],
        compression: argv.compression,
        toolFormat: argv['tool-format'],
        auditPath: argv.audit,
        pipelinePath: argv.pipeline,
        card: { repoId: argv.repo, title: argv.title, license: argv.license, language: argv.language },
        onReject: (r) => process.stderr.write(`chatmill: ${r.file}:${r.line}: ${r.reason}: ${r.message}\n`),
      });
      for (const c of summary.configs)
        process.stdout.write(`${c.config}/${c.split}: ${c.numRows} rows in ${c.files.length} shard(s)\n`);
      process.stdout.write(`wrote ${summary.manifest.files.length} files to ${argv.out}; rejected ${summary.rejected}\n`);
      return summary.rejected > 0 ? 1 : 0;
    }),
};
