/**
 * The local executor: every phase's incomplete ranks as child processes, K at a time, phase after phase, then
 * the merge. A rank that fails (non-zero exit, or killed by a signal) does not stop its phase's other ranks,
 * so one re-launch redoes only what failed; it does stop the next phase from starting.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { markerPath } from '../distributed/run-dir.js';
import { pidAlive } from '../outputs/atomic.js';
import { UsageError } from '../types.js';
import {
  PHASES, incompleteRanks, mergeArgs, rankArgs, rankName, writeLaunchRecord,
  type Executor, type LaunchOutcome, type LaunchSpec, type Phase,
} from './executor.js';

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Run one command with its output appended to a log file; never rejects (a spawn error is a failure). */
function runLogged(cmd: string[], logFile: string, running: Set<ReturnType<typeof spawn>>): Promise<Ended & { error?: string }> {
  return new Promise((resolve) => {
    const log = createWriteStream(logFile, { flags: 'a' });
    log.on('error', () => undefined);
    const child = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', (e) => {
      running.delete(child);
      log.end(`chatmill launch: could not start ${cmd[0]}: ${e.message}\n`);
      resolve({ code: null, signal: null, error: e.message });
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      log.end();
      resolve({ code, signal });
    });
  });
}

const describeEnd = (e: Ended & { error?: string }): string =>
  e.error ? `could not start: ${e.error}` : e.signal ? `killed by ${e.signal}` : `exit ${e.code}`;

export const localExecutor: Executor = {
  name: 'local',
  async launch(spec: LaunchSpec): Promise<LaunchOutcome> {
    const plan = PHASES.map((phase) => ({ phase, ranks: incompleteRanks(spec.runDir, phase, spec.tasks) }));
    if (spec.dryRun) {
      for (const { phase, ranks } of plan)
        for (const r of ranks) spec.say([...spec.cli, ...rankArgs(spec, phase, r)].join(' '));
      spec.say([...spec.cli, ...mergeArgs(spec)].join(' '));
      return { exitCode: 0 };
    }
    await refuseLiveRanks(spec, plan);
    await writeLaunchRecord(spec.runDir, { executor: 'local', tasks: spec.tasks, workers: spec.workers, pipeline: spec.pipelinePath, cwd: process.cwd(), submissions: [] });

    // Ranks are our children: pass a Ctrl-C or a TERM on to them rather than leaving them running unseen.
    const running = new Set<ReturnType<typeof spawn>>();
    const forward = (sig: NodeJS.Signals) => () => {
      for (const c of running) c.kill(sig);
    };
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    try {
      for (const { phase } of plan) {
        // Re-read the markers: a rank may have completed since the plan (another launch, a manual run).
        const ranks = incompleteRanks(spec.runDir, phase, spec.tasks);
        const failed = await runPhase(spec, phase, ranks, running);
        if (failed.length) {
          spec.say(`launch: phase ${phase}: ${failed.length} of ${ranks.length} rank(s) failed (${failed.join('; ')}); ` +
            `later phases not started. Fix the cause and run the same launch again: only incomplete ranks run.`);
          return { exitCode: 1 };
        }
      }
      const logDir = join(spec.runDir, 'logs');
      await mkdir(logDir, { recursive: true });
      spec.say('launch: merge');
      const merged = await runLogged([...spec.cli, ...mergeArgs(spec)], join(logDir, 'merge.log'), running);
      if (merged.code !== 0) {
        spec.say(`launch: merge failed (${describeEnd(merged)}); see ${join(logDir, 'merge.log')}`);
        return { exitCode: 1 };
      }
      return { exitCode: 0 };
    } finally {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    }
  },
};

/** Run the given ranks of one phase, at most `workers` at once; returns a description of each failure. */
async function runPhase(spec: LaunchSpec, phase: Phase, ranks: number[], running: Set<ReturnType<typeof spawn>>): Promise<string[]> {
  const total = phase === 'decide' ? 1 : spec.tasks;
  if (!ranks.length) {
    spec.say(`launch: phase ${phase}: all ${total} rank(s) already complete`);
    return [];
  }
  const logDir = join(spec.runDir, 'logs', phase);
  await mkdir(logDir, { recursive: true });
  spec.say(`launch: phase ${phase}: ${ranks.length} of ${total} rank(s) to run, ${Math.min(spec.workers, ranks.length)} at a time`);
  const failed: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ranks.length) {
      const rank = ranks[next++];
      const logFile = join(logDir, `${rankName(rank)}.log`);
      const ended = await runLogged([...spec.cli, ...rankArgs(spec, phase, rank)], logFile, running);
      if (ended.code !== 0) failed.push(`rank ${rank}: ${describeEnd(ended)}, log ${logFile}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(spec.workers, ranks.length) }, worker));
  return failed;
}

/**
 * A rank started on this machine whose process is still alive (an earlier launch that was interrupted, or one
 * running beside us) must not be started a second time: both would write the same rank's files.
 */
async function refuseLiveRanks(spec: LaunchSpec, plan: Array<{ phase: Phase; ranks: number[] }>): Promise<void> {
  const here = hostname();
  for (const { phase, ranks } of plan) {
    for (const rank of ranks) {
      let started: { host?: unknown; pid?: unknown };
      try {
        started = JSON.parse(await readFile(markerPath(spec.runDir, phase, rank, 'started'), 'utf8'));
      } catch {
        continue;
      }
      if (started.host === here && typeof started.pid === 'number' && started.pid !== process.pid && pidAlive(started.pid)) {
        throw new UsageError(`${phase} rank ${rank} of this run is still running (pid ${started.pid}): wait for it or stop it, then launch again`);
      }
    }
  }
}
