import type { CommandModule } from 'yargs';
import { runCommandBody, EXIT } from './exit.js';
import { withIngestOptions, ingestParamsFrom, type IngestArgs } from './ingest-options.js';

interface Args extends IngestArgs {
  json: boolean;
}

export const validateCommand: CommandModule<object, Args> = {
  command: 'validate <inputs..>',
  describe: 'Check records and report every problem; exit 1 when any record is rejected',
  builder: (y) => withIngestOptions(y) as never,
  handler: (args) =>
    runCommandBody(async () => {
      const { runIngest } = await import('../ingest.js');
      const { reportSummary } = await import('./report-summary.js');
      const { createProgress } = await import('../report/progress.js');
      const progress = createProgress({ label: 'validate' });
      const tally = await runIngest({ ...ingestParamsFrom(args), onRead: () => progress.tick() });
      progress.done();
      reportSummary(tally, { json: args.json });
      // Any reject fails validate, file faults included (they are rejects too).
      return tally.summary().rejected > 0 ? EXIT.failed : EXIT.ok;
    }),
};
