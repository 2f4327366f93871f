import type { CommandModule } from 'yargs';
import { runCommandBody, EXIT, exitForFileFaults } from './exit.js';

interface Args {
  pipeline: string;
  out?: string;
  json: boolean;
  push: boolean;
  repo?: string;
  'hub-url'?: string;
  'token-file'?: string;
  private?: boolean;
  branch?: string;
  verbose: boolean;
  phase?: 'map' | 'decide' | 'apply';
  rank?: number;
  'world-size'?: number;
  'run-dir'?: string;
  restart: boolean;
  'split-bytes'?: number;
}

export const runCommand: CommandModule<object, Args> = {
  command: 'run [pipeline]',
  describe: 'Run a pipeline file: ingest, validate, tokenize, audit, pair, export (and --push to the Hub)',
  builder: (y) =>
    y
      .positional('pipeline', { type: 'string', default: 'pipelines/hermes3.yaml', describe: 'pipeline YAML file' })
      .option('out', { type: 'string', describe: "output directory (default: the pipeline's `out`, usually out/)" })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON on stdout' })
      .option('push', { type: 'boolean', default: false, describe: 'publish the exported dataset to the Hub afterwards' })
      .option('repo', { type: 'string', describe: "Hub dataset repo ns/name for --push (default: the pipeline's push.repo)" })
      .option('hub-url', { type: 'string', describe: 'Hub endpoint (default https://huggingface.co)' })
      .option('token-file', { type: 'string', describe: 'read the Hub token from this file instead of HF_TOKEN' })
      .option('private', { type: 'boolean', describe: 'create the repo as private when it does not exist' })
      .option('branch', { type: 'string', describe: 'branch to push to (default main)' })
      .option('verbose', { type: 'boolean', default: false, describe: 'also list every rejected record on stderr, from OUT/rejects.jsonl' })
      .option('phase', { choices: ['map', 'decide', 'apply'] as const, describe: 'run one phase of a run over several ranks (docs: "Running on a cluster"); then `chatmill merge`' })
      .option('rank', { type: 'number', describe: 'with --phase: this process\'s rank (default from CHATMILL_RANK, SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX)' })
      .option('world-size', { type: 'number', describe: 'with --phase: the number of ranks (default from CHATMILL_WORLD_SIZE or SLURM_ARRAY_TASK_COUNT)' })
      .option('run-dir', { type: 'string', describe: 'with --phase: the run directory all ranks share (default <out>/.run)' })
      .option('restart', { type: 'boolean', default: false, describe: 'with --phase: replan a run whose pipeline, inputs or world size changed, instead of refusing' })
      .option('split-bytes', { type: 'number', describe: 'with --phase: cut JSONL inputs into work units of about this many bytes (default: total input / world size, at least 8 MiB)' }) as never,
  handler: (args) =>
    runCommandBody(async () => {
      if (args.phase) return runOnePhase(args);
      if (args.rank !== undefined || args['world-size'] !== undefined || args['run-dir'] !== undefined || args['split-bytes'] !== undefined) {
        const { UsageError } = await import('../types.js');
        throw new UsageError('--rank, --world-size, --run-dir and --split-bytes go with --phase map|decide|apply (without --phase, run is one process)');
      }
      const { runPipelineFile } = await import('../pipeline/run-file.js');
      const { summaryTable } = await import('../report/summary-table.js');
      const { UsageError } = await import('../types.js');
      // Check push settings before any data moves, so a missing token fails in a second, not after the run.
      let token: string | undefined;
      if (args.push) {
        const { resolveToken } = await import('../hub/token.js');
        token = await resolveToken({ env: process.env, tokenFile: args['token-file'], required: true });
      }
      const started = Date.now();
      const { createProgress } = await import('../report/progress.js');
      const progress = createProgress({ label: 'run' });
      const result = await runPipelineFile({
        onRead: () => progress.tick(),
        pipelinePath: args.pipeline,
        out: args.out,
        hubUrl: args['hub-url'],
        repoId: args.repo,
        onDataset: (name) => process.stderr.write(`chatmill: dataset ${name}…\n`),
      });
      progress.done();
      if (args.verbose) {
        const { REJECTS_FILE } = await import('../pipeline/planned-outputs.js');
        await (await import('./verbose.js')).printRejectsFile((await import('node:path')).join(result.out, REJECTS_FILE));
      }
      const summary = result.tally.summary();
      process.stderr.write(`${summaryTable(summary)}\n`);
      for (const a of result.audits) {
        const share = (a.audit.response_share * 100).toFixed(1);
        process.stderr.write(`audit: ${a.audit.records} records, ${a.audit.tokens} tokens (${share}% response) → ${a.dir}/audit.html\n`);
      }
      for (const p of result.pairs) {
        const b = p.stats.length_bias;
        process.stderr.write(
          `pairs (${p.dataset}): ${p.stats.pairs} pairs, ${p.stats.unpaired} unpaired; chosen longer in ${(b.chosen_longer_share * 100).toFixed(1)}%` +
            `, median length ratio ${b.median_length_ratio.toFixed(2)} (${b.unit}) → ${result.out}/${p.dataset}.pair-stats.json\n`,
        );
      }
      if (result.datasetDir) process.stderr.write(`dataset: ${result.datasetDir} (card, manifest, Parquet shards)\n`);
      process.stderr.write(`done in ${((Date.now() - started) / 1000).toFixed(1)}s; outputs in ${result.out}/\n`);

      const faults = result.tally.fileFaults();
      let push: Record<string, unknown> | undefined;
      if (args.push && Object.keys(faults).length) {
        // A damaged input means records the user meant to publish are missing: publish only on purpose.
        process.stderr.write(`chatmill: not pushing: an input file is damaged; fix it, or publish ${result.datasetDir ?? result.out} with \`chatmill push\`\n`);
      } else if (args.push) {
        const repo = args.repo ?? result.pipeline.push?.repo;
        if (!repo) throw new UsageError('--push needs --repo ns/name (or push.repo in the pipeline file)');
        if (!result.datasetDir) throw new UsageError('--push: the pipeline has no export stage, so there is nothing to publish');
        const { pushDataset } = await import('../hub/push.js');
        const { createProgressReporter } = await import('../hub/progress-report.js');
        const report = createProgressReporter({ write: (t) => process.stderr.write(t), isTTY: Boolean(process.stderr.isTTY), token });
        const pushed = await pushDataset({
          dir: result.datasetDir,
          repo,
          hubUrl: args['hub-url'],
          token,
          branch: args.branch ?? result.pipeline.push?.branch,
          private: args.private ?? result.pipeline.push?.private,
          onProgress: report,
        });
        push = { repo: pushed.repo, url: pushed.url, commits: pushed.commits, uploaded: pushed.uploaded, skipped: pushed.skipped, deleted: pushed.deleted };
        process.stderr.write(`pushed: ${pushed.uploaded} uploaded, ${pushed.skipped} unchanged, ${pushed.deleted} deleted → ${pushed.url}\n`);
      }
      if (args.json) process.stdout.write(`${JSON.stringify(push ? { ...summary, push } : summary)}\n`);
      return Object.keys(faults).length ? exitForFileFaults(faults) : EXIT.ok;
    }),
};

/** One rank of one phase: rank and world size from the flags, else the scheduler's environment. */
async function runOnePhase(args: Args): Promise<number> {
  const { resolveRank } = await import('../distributed/rank.js');
  const { runPhase } = await import('../distributed/phases.js');
  const { UsageError } = await import('../types.js');
  if (args.push) throw new UsageError('--push goes with `chatmill merge` (one push, from one place), not with a phase');
  const decide = args.phase === 'decide';
  const world = resolveRank({ rank: args.rank ?? (decide ? 0 : undefined), worldSize: args['world-size'] ?? (decide ? 1 : undefined) });
  if (!world) throw new UsageError(`--phase ${args.phase} needs this process's rank and the world size: --rank R --world-size N, or CHATMILL_RANK/CHATMILL_WORLD_SIZE (or a Slurm, Kubernetes or AWS Batch array)`);
  const started = Date.now();
  const { runDir, skipped } = await runPhase({
    pipelinePath: args.pipeline,
    phase: args.phase!,
    rank: world.rank,
    worldSize: world.worldSize,
    runDir: args['run-dir'],
    out: args.out,
    restart: args.restart,
    splitBytes: args['split-bytes'],
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (!skipped) process.stderr.write(`chatmill: ${args.phase} rank ${world.rank} of ${world.worldSize} done in ${((Date.now() - started) / 1000).toFixed(1)}s (${runDir})\n`);
  if (args.json) process.stdout.write(`${JSON.stringify({ phase: args.phase, rank: world.rank, worldSize: world.worldSize, runDir, skipped })}\n`);
  return EXIT.ok;
}
