import type { CommandModule } from 'yargs';
import { runCommandBody, exitForFileFaults } from './exit.js';
import { withIngestOptions, ingestParamsFrom, type IngestArgs } from './ingest-options.js';

interface Args extends IngestArgs {
  output: string;
  json: boolean;
}

export const convertCommand: CommandModule<object, Args> = {
  command: 'convert <inputs..>',
  describe: 'Normalize records to chatmill ChatML JSONL (rejects and drops go to their own files)',
  builder: (y) =>
    withIngestOptions(y).option('output', {
      alias: 'o',
      type: 'string',
      demandOption: true,
      describe: 'where to write the normalized records (JSONL, - for stdout)',
    }) as never,
  handler: (args) =>
    runCommandBody(async () => {
      const { runIngest } = await import('../ingest.js');
      const { writeJsonlStage } = await import('../stages/write-jsonl.js');
      const { reportSummary } = await import('./report-summary.js');
      if (args.output === '-' && args.json) {
        const { UsageError } = await import('../types.js');
        throw new UsageError('--json and -o - both want stdout; write the records to a file');
      }
      const { createProgress } = await import('../report/progress.js');
      const progress = createProgress({ label: 'convert' });
      const tally = await runIngest({
        ...ingestParamsFrom(args),
        outputs: [{ path: args.output, what: '-o' }],
        extraStages: [writeJsonlStage(args.output)],
        onRead: () => progress.tick(),
      });
      progress.done();
      reportSummary(tally, { json: args.json });
      return exitForFileFaults(tally.fileFaults());
    }),
};
