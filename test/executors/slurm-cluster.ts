import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Whether a Slurm controller answers here. The Slurm tests need one (scripts/slurm/start.sh starts a
 * single-node cluster as root); they skip with a message where there is none, and CI sets
 * CHATMILL_REQUIRE_SLURM=1 (.ci/run) so they fail instead of skipping there.
 */
export const haveSlurm = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8', timeout: 20_000 }).status === 0;
export const requireSlurm = process.env.CHATMILL_REQUIRE_SLURM === '1';
if (!haveSlurm && !requireSlurm) console.warn('[chatmill tests] no Slurm controller answers (sinfo failed): the Slurm tests are skipped; scripts/slurm/start.sh starts one');

export const sh = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });

/** Wait until squeue lists none of these job ids (every task ended, or was cancelled). */
export async function waitForJobs(ids: string[], timeoutMs = 240_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const out = spawnSync('squeue', ['-h', '-j', ids.join(','), '-o', '%i'], { encoding: 'utf8' });
    // squeue exits non-zero for ids it has forgotten: they are gone, which is what we wait for.
    if (out.status !== 0 || !out.stdout.trim()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Slurm jobs ${ids.join(',')} still queued after ${timeoutMs / 1000}s`);
}
