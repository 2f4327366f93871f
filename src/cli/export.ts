import type { Argv, CommandModule } from 'yargs';
import { EXIT, exitForFileFaults, runCommandBody } from './exit.js';
import { ingestParamsFrom, withIngestOptions, type IngestArgs } from './ingest-options.js';

interface ExportArgs extends IngestArgs {
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
  json: boolean;
}

/**
 * `chatmill export`: any input `convert` or `pairs` reads (raw files, or chatmill's own JSONL) -> Parquet
 * shards, manifest.json and a dataset card. Raw records take convert's path first, with convert's options.
 */
export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <inputs..>',
  describe: 'Write records (raw files in any known format, or chatmill JSONL) as Hugging Face-style Parquet shards with manifest and dataset card',
  builder: (y: Argv) =>
    withIngestOptions(y)
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
      .option('repo', { type: 'string', describe: "namespace/name used in the card's loading examples" })
      .option('title', { type: 'string' })
      .option('license', { type: 'string', default: 'other' })
      .option('language', { type: 'string', array: true, default: ['en'] }) as unknown as Argv<ExportArgs>,
  handler: (argv) =>
    runCommandBody(async () => {
      const { runExport } = await import('../export/run-export.js');
      const { summaryTable } = await import('../report/summary-table.js');
      const { createProgress } = await import('../report/progress.js');
      const { inputs, ...ingest } = ingestParamsFrom(argv);
      const progress = createProgress({ label: 'export' });
      const result = await runExport({
        inputs,
        ingest: { ...ingest, onRead: () => progress.tick() },
        dir: argv.out,
        config: argv.config,
        split: argv.split,
        maxShardSize: argv['max-shard-size'],
        compression: argv.compression,
        toolFormat: argv['tool-format'],
        auditPath: argv.audit,
        pipelinePath: argv.pipeline,
        card: { repoId: argv.repo, title: argv.title, license: argv.license, language: argv.language },
      });
      progress.done();
      process.stderr.write(`${summaryTable(result.summary)}\n`);
      const shards = result.configs.map((c) => ({ config: c.config, split: c.split, rows: c.numRows, shards: c.files.length }));
      if (argv.json) process.stdout.write(`${JSON.stringify({ ...result.summary, configs: shards })}\n`);
      if (!result.manifest) {
        process.stderr.write(`chatmill: no records to export: all ${result.summary.read} records read were rejected or dropped; ${argv.out} is unchanged\n`);
        return EXIT.failed;
      }
      const lines = shards.map((c) => `${c.config}/${c.split}: ${c.rows} rows in ${c.shards} shard(s)`);
      if (!argv.json) process.stdout.write(`${[...lines, `wrote ${result.manifest.files.length} files to ${argv.out}`].join('\n')}\n`);
      const faults = exitForFileFaults(result.fileFaults);
      // As validate: a rejected record fails the command, after the dataset is written (the summary says why).
      return faults || (result.rejected > 0 ? EXIT.failed : EXIT.ok);
    }),
};
