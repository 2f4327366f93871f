import type { Argv, CommandModule } from 'yargs';
import { exitForFileFaults, runCommandBody } from './exit.js';

interface PairsArgs {
  inputs: string[];
  out: string;
  strategy: string;
  'min-margin': number;
  seed: number;
  aggregate: string;
  aspect?: string;
  kto: string;
  unpaired?: string;
  rejects?: string;
  dropped?: string;
  tokenizer: string;
  tokens: boolean;
  json: boolean;
  verbose: boolean;
  stats?: string;
}

/** `chatmill pairs`: preference data in any common shape -> TRL conversational DPO pairs. */
export const pairsCommand: CommandModule<object, PairsArgs> = {
  command: 'pairs <inputs..>',
  describe: 'Build DPO preference pairs (TRL conversational format) from preference data in any common shape',
  builder: (y: Argv) =>
    y
      .positional('inputs', { type: 'string', array: true, demandOption: true, describe: 'files, directories, globs or -' })
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'pairs JSONL to write (- for stdout)' })
      .option('strategy', { choices: ['best-worst', 'best-random', 'all-pairs'], default: 'best-worst', describe: 'how rated completions become pairs' })
      .option('min-margin', { type: 'number', default: 0, describe: 'drop pairs whose score margin is below this (equal scores are always dropped as tie)' })
      .option('seed', { type: 'number', default: 0, describe: 'seed for every random choice; same seed, same bytes' })
      .option('aggregate', { choices: ['mean', 'min', 'max', 'overall'], default: 'mean', describe: 'how per-aspect ratings become one score' })
      .option('aspect', { type: 'string', describe: 'rate by this one aspect only (e.g. helpfulness)' })
      .option('kto', { choices: ['unpaired', 'paired'], default: 'unpaired', describe: 'KTO records: keep unpaired, or pair by prompt' })
      .option('unpaired', { type: 'string', describe: 'where unpaired KTO records go (default: OUT with .unpaired.jsonl)' })
      .option('rejects', { type: 'string', describe: 'write rejected records here' })
      .option('dropped', { type: 'string', describe: 'write dropped records (ties, low margins) here' })
      .option('tokenizer', { type: 'string', default: 'hermes3', describe: 'tokenizer for n_*_tokens: hermes3, llama3, a tokenizer.json path' })
      .option('tokens', { type: 'boolean', default: true, describe: 'count tokens (--no-tokens to skip)' })
      .option('stats', { type: 'string', describe: 'write pair statistics (per source, margins, length bias, token totals) to this JSON file' })
      .option('json', { type: 'boolean', default: false, describe: "print validate's summary plus \"pairs\" as JSON" })
      .option('verbose', { type: 'boolean', default: false, describe: 'also list every rejected record on stderr (the summary counts them by reason)' }) as unknown as Argv<PairsArgs>,
  handler: (argv) =>
    runCommandBody(async () => {
      const { runPairsCommand } = await import('../pairs/run-pairs.js');
      let tokens;
      if (argv.tokens) {
        const { resolveTokenizerFiles } = await import('../tokens/source.js');
        const { TokenEncoder } = await import('../tokens/encoder.js');
        tokens = new TokenEncoder(await resolveTokenizerFiles({ spec: argv.tokenizer }));
      }
      const { createProgress } = await import('../report/progress.js');
      const progress = createProgress({ label: 'pairs' });
      const summary = await runPairsCommand({
        onRead: () => progress.tick(),
        inputs: argv.inputs,
        out: argv.out,
        strategy: argv.strategy as never,
        minMargin: argv['min-margin'],
        seed: argv.seed,
        aggregate: argv.aggregate as never,
        aspect: argv.aspect,
        kto: argv.kto as never,
        unpairedOut: argv.unpaired,
        rejectsPath: argv.rejects,
        droppedPath: argv.dropped,
        statsPath: argv.stats,
        tokens,
        onReject: argv.verbose ? (await import('./verbose.js')).printReject : undefined,
      });
      progress.done();
      const { pair_stats, unpaired, file_faults, ...contract } = summary;
      if (argv.stats) {
        const { writeFileAtomic } = await import('../outputs/atomic.js');
        await writeFileAtomic(argv.stats, `${JSON.stringify(pair_stats, null, 2)}\n`);
      }
      const { summaryTable } = await import('../report/summary-table.js');
      const b = pair_stats.length_bias;
      process.stderr.write(
        `${summaryTable(contract)}\n${summary.pairs} pairs, ${unpaired} unpaired; chosen longer in ${(b.chosen_longer_share * 100).toFixed(1)}%` +
          ` of pairs, median chosen/rejected length ratio ${b.median_length_ratio.toFixed(2)} (${b.unit})\n`,
      );
      // The --json contract is validate's summary plus "pairs"; the statistics go to --stats.
      if (argv.json) process.stdout.write(`${JSON.stringify(contract)}\n`);
      return exitForFileFaults(file_faults);
    }),
};
