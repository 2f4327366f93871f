import type { CommandModule } from 'yargs';
import { runCommandBody, EXIT, exitForFileFaults } from './exit.js';

interface Args {
  'run-dir': string;
  json: boolean;
  repo?: string;
}

export const mergeCommand: CommandModule<object, Args> = {
  command: 'merge <run-dir>',
  describe: "Merge a run over several ranks (every rank of map, decide and apply done) into the same <out>/ a single-process run writes",
  builder: (y) =>
    y
      .positional('run-dir', { type: 'string', demandOption: true, describe: 'the run directory (default of `run --phase`: <out>/.run)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON on stdout' })
      .option('repo', { type: 'string', describe: "Hub repo id for the dataset card's loading snippet (default: the pipeline's push.repo)" }) as never,
  handler: (args) =>
    runCommandBody(async () => {
      const { mergeRun } = await import('../distributed/merge.js');
      const { summaryTable } = await import('../report/summary-table.js');
      const started = Date.now();
      const result = await mergeRun({ runDir: args['run-dir'], repoId: args.repo });
      const summary = result.tally.summary();
      process.stderr.write(`${summaryTable(summary)}\n`);
      if (result.datasetDir) process.stderr.write(`dataset: ${result.datasetDir} (card, manifest, Parquet shards)\n`);
      process.stderr.write(`merged in ${((Date.now() - started) / 1000).toFixed(1)}s; outputs in ${result.out}/\n`);
      if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      const faults = result.tally.fileFaults();
      return Object.keys(faults).length ? exitForFileFaults(faults) : EXIT.ok;
    }),
};
