import type { CommandModule } from 'yargs';
import { runCommandBody } from './exit.js';

interface Args {
  'run-dir': string;
  json: boolean;
  ranks: boolean;
}

export const statusCommand: CommandModule<object, Args> = {
  command: 'status <run-dir>',
  describe: 'Show each phase and rank of a launched run: done, failed, running, pending, stopped',
  builder: (y) =>
    y
      .positional('run-dir', { type: 'string', demandOption: true, describe: 'the run directory (default of launch: <out>/.run)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the status as JSON on stdout' })
      .option('ranks', { type: 'boolean', default: false, describe: 'list every rank that is not done, with its detail' }) as never,
  handler: (args) =>
    runCommandBody(async () => {
      const { runStatus, RANK_STATES } = await import('../executors/status.js');
      const { resolve } = await import('node:path');
      const status = await runStatus(resolve(args['run-dir']));
      if (args.json) {
        process.stdout.write(`${JSON.stringify(status)}\n`);
        return 0;
      }
      const lines = [`run ${status.runDir}: ${status.executor ?? 'unknown executor'}, world size ${status.worldSize}`];
      for (const p of status.phases) {
        const counts = RANK_STATES.filter((s) => p.counts[s]).map((s) => `${p.counts[s]} ${s}`).join(', ');
        lines.push(`  ${p.phase.padEnd(6)} ${counts}`);
        // Listing every done rank of a 1,000-rank run helps nobody; the others are what a user acts on.
        // Listing every done or untouched rank of a 1,000-rank run helps nobody: the failed, stopped and running
        // ones are what a user acts on (--ranks lists them all).
        const notable = p.ranks.filter((r) => (args.ranks ? r.state !== 'done' : r.state !== 'done' && r.state !== 'pending'));
        for (const r of args.ranks ? notable : notable.slice(0, 20)) lines.push(`    rank ${r.rank}: ${r.state}${r.detail ? ` (${r.detail})` : ''}`);
        if (!args.ranks && notable.length > 20) lines.push(`    (${notable.length - 20} more: --ranks lists them)`);
      }
      lines.push(`  merge  ${status.merge}${status.mergeQueue ? ` (slurm ${status.mergeQueue})` : ''}`);
      lines.push(status.complete ? 'every phase and the merge are complete' : 'incomplete: `chatmill launch` with the same arguments runs only the ranks not done');
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    }),
};
