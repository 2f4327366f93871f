import type { CommandModule } from 'yargs';
import { exitForFileFaults, runCommandBody } from './exit.js';
import { ingestParamsFrom, withIngestOptions, type IngestArgs } from './ingest-options.js';
import type { AuditArgs } from './audit-setup.js';
import { UsageError } from '../types.js';

/** Written beside the audit reports by `--target`: the plan a mix stage would follow (same shape as {dataset}.mix.json). */
const MIX_PLAN_FILE = 'mix-plan.json';

interface Args extends IngestArgs, AuditArgs {
  out: string;
  target?: string;
  'max-epochs': number;
  json: boolean;
}

export const auditCommand: CommandModule<object, Args> = {
  command: 'audit <inputs..>',
  describe: 'Count instruction vs response tokens, over-length records and packing; write audit.json/.md/.html',
  builder: (y) =>
    withIngestOptions(y)
      .option('tokenizer', { type: 'string', default: 'hermes3', describe: 'hermes3 | llama3 | path to tokenizer.json | Hub model id' })
      .option('template', { type: 'string', default: 'chatml', choices: ['chatml', 'tokenizer'], describe: "Hermes ChatML, or the tokenizer's own chat_template" })
      .option('template-date', { type: 'string', describe: 'date_string for templates that print a date (default 26 Jul 2024)' })
      .option('chat-template-name', {
        type: 'string',
        describe: 'with --template tokenizer and named chat templates: use this one for every record (default: tool_use for records with tools, else default, as transformers chooses)',
      })
      .option('max-length', { type: 'number', default: 8192, describe: 'max tokens per record (Hermes 3 trained at 8192)' })
      .option('over-length', { type: 'string', default: 'keep', choices: ['keep', 'drop', 'truncate'], describe: 'what to do with longer records' })
      .option('seq-len', { type: 'number', describe: 'pack length for the packing estimate (default: --max-length)' })
      .option('train-on-eos', { type: 'string', default: 'turn', choices: ['turn', 'none', 'all'], describe: 'train on <|im_end|> of trained turns, none, or all' })
      .option('roles-to-train', { type: 'string', default: 'assistant', describe: 'comma-separated roles whose content is response' })
      .option('last-turn-only', { type: 'boolean', default: false, describe: 'train only the last trained-role turn' })
      .option('category', { type: 'string', array: true, describe: 'SOURCE=CATEGORY for records without a category (file path or name)' })
      .option('out', { type: 'string', default: 'audit', describe: 'directory for audit.json, audit.md, audit.html' })
      .option('target-response-share', { type: 'number', default: 0.69, describe: 'response share to compare against (Hermes 3: 0.69)' })
      .option('target', {
        type: 'string',
        describe: 'dry run of a mix: hermes3, group=share,... or group=200M,...; shows what a mix stage would keep, repeat and drop (writes mix-plan.json)',
      })
      .option('max-epochs', { type: 'number', default: 3, describe: 'with --target: how many times one record may appear' })
      .option('json', { type: 'boolean', default: false, describe: 'print audit.json on stdout (the CI contract, schemas/audit.ts)' })
      .option('hub-url', { type: 'string', describe: 'Hub endpoint for downloading a tokenizer by model id' })
      .option('workers', { type: 'number', describe: 'threads for tokenizing, this one included (N starts N - 1 workers); 1 = main thread only (default: CHATMILL_WORKERS or one per CPU)' }) as never,
  handler: (args) =>
    runCommandBody(async () => {
      // First, for an input whose files already say it is big: its worker threads start while everything else loads
      // (startTokenizeWorkers). The estimate reads the paths as given; a glob or folder is estimated below instead,
      // and its workers start with the stage. Until the stage gives them their data they do not hold the process,
      // so a failure before then (a bad option) still exits at once. Any error here (a bad CHATMILL_INLINE_TOKENS)
      // starts nothing: the same check runs again as the stage is built, which reports it as a usage error.
      const tokenizeStageModule = import('../parallel/tokenize-stage.js');
      const early = tokenizeStageModule
        .then((m) => m.startTokenizeWorkers({ workers: args.workers, expectedTokens: m.expectedTokensOfFiles(args.inputs ?? []) }))
        .catch(() => undefined);
      // Loaded together: one import after another waited for each module's files in turn (idle start-up time).
      const [{ prepareAudit }, { runIngest, resolveInputs }, { writeAuditReports, AUDIT_FILES }, { auditSummaryTable }, { createProgress }, { expectedTokensOfFiles }, { readFile }, { join }] = await Promise.all([
        import('./audit-setup.js'),
        import('../ingest.js'),
        import('../report/write-audit-reports.js'),
        import('../report/audit-summary-table.js'),
        import('../report/progress.js'),
        tokenizeStageModule,
        import('node:fs/promises'),
        import('node:path'),
      ]);
      const started = await early;

      // Check the shared options before the tokenizer loads (seconds), so a typo fails at once.
      const ingest = ingestParamsFrom(args);
      if (!Number.isInteger(args['max-epochs']) || args['max-epochs'] < 1 || args['max-epochs'] > 100) throw new UsageError('--max-epochs must be a whole number from 1 to 100');
      // The mix modules load only for --target: a plain audit should not pay for them at start-up.
      const mix = args.target === undefined ? undefined : await import('../mix/dry-run.js');
      const plan = mix?.mixDryRun({ target: mix.targetFromFlag(args.target!), by: 'category', count: 'all', max_epochs: args['max-epochs'], seed: 42, within: 'random', others: 'drop', strict: false });
      const setup = await prepareAudit(args, expectedTokensOfFiles((await resolveInputs(ingest.inputs)).files), started).catch(async (err: unknown) => {
        await started?.close();
        throw err;
      });
      const progress = createProgress({ label: 'audit' });
      const tally = await runIngest({
        ...ingest,
        outputs: [...Object.values(AUDIT_FILES), ...(plan ? [MIX_PLAN_FILE] : [])].map((name) => ({ path: join(args.out, name), what: '--out' })),
        categoryBySource: setup.categoryBySource,
        extraStages: plan ? [...setup.stages, plan.stage] : setup.stages,
        onRead: () => progress.tick(),
      });
      progress.done();
      const audit = setup.accumulator.result();
      const report = plan?.report();
      const paths = await writeAuditReports({
        dir: args.out,
        audit,
        targetResponseShare: args['target-response-share'],
        maxLength: args['max-length'],
        mixes: report ? [{ report, dryRun: true }] : undefined,
      });
      const s = tally.summary();
      const reasons = Object.entries({ ...s.reasons }).map(([k, n]) => `${k} ${n}`).join(', ');
      process.stderr.write(`read ${s.read}, kept ${s.kept}, rejected ${s.rejected}, dropped ${s.dropped}${reasons ? ` (${reasons})` : ''}\n`);
      process.stderr.write(`${auditSummaryTable(audit, { targetResponseShare: args['target-response-share'] })}\n`);
      if (report) {
        const { writeFileAtomic } = await import('../outputs/atomic.js');
        await writeFileAtomic(join(args.out, MIX_PLAN_FILE), `${JSON.stringify(report, null, 2)}\n`);
        process.stderr.write(`${mix!.mixPlanTable(report)}\n`);
      }
      process.stderr.write(`wrote ${paths.json}, ${paths.markdown}, ${paths.html}${report ? `, ${join(args.out, MIX_PLAN_FILE)}` : ''}\n`);
      // Exactly the bytes of audit.json, so CI can read either.
      if (args.json) process.stdout.write(await readFile(paths.json, 'utf8'));
      return exitForFileFaults(tally.fileFaults());
    }),
};
