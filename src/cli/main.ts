#!/usr/bin/env node
/**
 * The `chatmill` command line. Each command lives in its own file and imports its heavy
 * dependencies (tokenizers, Arrow, the Hub client) only inside its handler, so `--help` stays fast.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { validateCommand } from './validate.js';
import { convertCommand } from './convert.js';
import { runCommand } from './run.js';
import { mergeCommand } from './merge.js';
import { formatsCommand } from './formats.js';
import { exportCommand } from './export.js';
import { pushCommand } from './push.js';
import { pairsCommand } from './pairs.js';
import { auditCommand } from './audit.js';
import { launchCommand } from './launch.js';
import { statusCommand } from './status.js';
import { VERSION } from '../version.js';

// yargs drops a bare `-` from variadic positionals, so stdin's `-` travels under a stand-in name and is
// put back before any handler runs.
const STDIN_STAND_IN = '\u0000stdin';
const restoreStdin = (v: unknown): unknown =>
  v === STDIN_STAND_IN ? '-' : Array.isArray(v) ? v.map(restoreStdin) : v;

const cli = yargs(hideBin(process.argv).map((a) => (a === '-' ? STDIN_STAND_IN : a)))
  .middleware((argv) => {
    for (const key of Object.keys(argv)) argv[key] = restoreStdin(argv[key]);
  }, true)
  .scriptName('chatmill')
  .usage('$0 <command> [options]\n\nPrepare SFT and DPO fine-tuning data: ingest, validate to ChatML, count tokens, pair, export, publish.')
  .command(validateCommand)
  .command(convertCommand)
  .command(runCommand)
  .command(mergeCommand)
  .command(formatsCommand)
  .command(exportCommand)
  .command(pushCommand)
  .command(pairsCommand)
  .command(auditCommand)
  .command(launchCommand)
  .command(statusCommand)
  .demandCommand(1, 'Name a command; see the list above.')
  .strict()
  .version(VERSION)
  .help()
  .alias('h', 'help')
  .wrap(Math.min(110, process.stdout.columns || 100))
  .fail((msg, err, y) => {
    if (err) throw err;
    process.stderr.write(`${y.help()}\n\nchatmill: ${msg}\n`);
    process.exit(2);
  });
skipHelpRendering(cli);
await cli.parseAsync();

/**
 * yargs renders the command's whole help text (every option, wrapped to the terminal) as each command's handler
 * starts, only to have it ready should an async handler fail later and print it. Our handlers report their own
 * errors and never print the help from there, so that rendering, a tenth of a small audit's start-up, is skipped.
 * Usage errors (unknown option, missing input) are found before the handler starts and still print the help.
 * The hook is yargs-internal: if a later yargs lacks it, nothing changes but the time.
 */
function skipHelpRendering(y: unknown): void {
  const internals = y as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = internals.getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}
