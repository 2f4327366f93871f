/**
 * The Kubernetes executor: writes one Indexed Job manifest per phase (completions = ranks, parallelism = K,
 * backoffLimitPerIndex so one rank's failures do not fail the others), a plain Job for the merge, and
 * `apply.sh`, which applies them in order and waits for each. chatmill does not talk to a cluster itself
 * (`--dry-run` is required); Jobs do not chain on their own, so the order lives in apply.sh.
 *
 * Every pod mounts one PersistentVolumeClaim (ReadWriteMany: every rank writes the run directory) as its working
 * directory, so the pipeline file, the inputs, the run directory and `out/` are all paths relative to it, as
 * they are relative to the directory `launch` runs in. A pod learns its rank from JOB_COMPLETION_INDEX, which
 * Kubernetes sets in Indexed Jobs, and the world size from CHATMILL_WORLD_SIZE, which it does not.
 * Re-applying after a failure re-creates the Jobs; ranks whose completion marker exists exit at once.
 */
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { writeFileAtomic } from '../outputs/atomic.js';
import { UsageError } from '../types.js';
import { PHASES, mergeArgs, phaseWorldSize, shellQuote, type Executor, type LaunchOutcome, type LaunchSpec, type Phase } from './executor.js';

/** Slurm's `--mem` units (K/M/G/T, binary, M when none) as a Kubernetes quantity. */
export function kubernetesMemory(mem: string): string {
  const m = /^(\d+)([KMGT]?)B?$/i.exec(mem.trim());
  if (!m) throw new UsageError(`--mem ${JSON.stringify(mem)}: give a size such as 4096, 4G or 512M`);
  return `${m[1]}${(m[2] || 'M').toUpperCase()}i`;
}

/** Slurm's `--time` forms (M, M:S, H:M:S, D-H, D-H:M, D-H:M:S) in seconds. */
export function slurmTimeSeconds(time: string): number {
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(time.trim());
  if (!m) throw new UsageError(`--time ${JSON.stringify(time)}: give Slurm's form, such as 90, 2:00:00 or 1-12:00:00`);
  const [days, a, b, c] = [m[1], m[2], m[3], m[4]].map((x) => (x === undefined ? undefined : Number(x)));
  let h = 0, min = 0, s = 0;
  if (days !== undefined) [h, min, s] = [a!, b ?? 0, c ?? 0];
  else if (c !== undefined) [h, min, s] = [a!, b!, c];
  else [min, s] = [a!, b ?? 0];
  const total = (days ?? 0) * 86400 + h * 3600 + min * 60 + s;
  if (total <= 0) throw new UsageError(`--time ${JSON.stringify(time)}: must be longer than 0`);
  return total;
}

export const kubernetesJobName = (runDir: string, phase: Phase | 'merge'): string =>
  `chatmill-${createHash('sha256').update(runDir).digest('hex').slice(0, 8)}-${phase}`;

/** A path as the pods see it: relative to the mounted working directory when it lies under it. */
function podPath(p: string): string {
  if (!isAbsolute(p)) return p;
  const rel = relative(process.cwd(), p);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new UsageError(`--executor kubernetes: ${p} is outside the current directory, which is what the pods mount; ` +
      'run launch from the directory that holds the pipeline, its inputs and the run directory');
  }
  return rel || '.';
}

function podTemplate(spec: LaunchSpec, phase: Phase | 'merge', args: string[], env: Array<{ name: string; value: string }>) {
  const k = spec.kubernetes!;
  const r = spec.resources;
  const requests: Record<string, string> = {};
  if (r.cpusPerTask) requests.cpu = String(r.cpusPerTask);
  if (r.mem) requests.memory = kubernetesMemory(r.mem);
  return {
    metadata: { labels: labels(spec, phase) },
    spec: {
      restartPolicy: 'Never',
      ...(r.time ? { activeDeadlineSeconds: slurmTimeSeconds(r.time) } : {}),
      containers: [
        {
          name: 'chatmill',
          image: k.image,
          command: spec.cli,
          args,
          workingDir: k.mountPath,
          ...(env.length ? { env } : {}),
          ...(Object.keys(requests).length ? { resources: { requests } } : {}),
          volumeMounts: [{ name: 'workspace', mountPath: k.mountPath }],
        },
      ],
      volumes: [{ name: 'workspace', persistentVolumeClaim: { claimName: k.claim } }],
    },
  };
}

const labels = (spec: LaunchSpec, phase: Phase | 'merge') => ({
  'app.kubernetes.io/name': 'chatmill',
  'chatmill/run': kubernetesJobName(spec.runDir, 'merge').split('-')[1],
  'chatmill/phase': phase,
});

function metadata(spec: LaunchSpec, phase: Phase | 'merge') {
  return { name: kubernetesJobName(spec.runDir, phase), ...(spec.kubernetes!.namespace ? { namespace: spec.kubernetes!.namespace } : {}), labels: labels(spec, phase) };
}

/** One Indexed Job for a phase: index i is rank i. */
export function phaseManifest(spec: LaunchSpec, phase: Phase): Record<string, unknown> {
  const world = phaseWorldSize(phase, spec.tasks);
  const args = ['run', podPath(spec.pipelinePath), '--phase', phase, '--run-dir', podPath(spec.runDir), ...(spec.out ? ['--out', podPath(spec.out)] : [])];
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(spec, phase),
    spec: {
      completionMode: 'Indexed',
      completions: world,
      parallelism: Math.min(spec.workers, world),
      backoffLimitPerIndex: spec.kubernetes!.retriesPerIndex,
      template: podTemplate(spec, phase, args, [{ name: 'CHATMILL_WORLD_SIZE', value: String(world) }]),
    },
  };
}

export function mergeManifest(spec: LaunchSpec): Record<string, unknown> {
  const args = mergeArgs({ runDir: podPath(spec.runDir) });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(spec, 'merge'),
    spec: { completions: 1, parallelism: 1, backoffLimit: spec.kubernetes!.retriesPerIndex, template: podTemplate(spec, 'merge', args, []) },
  };
}

function applyScript(spec: LaunchSpec, files: Array<{ file: string; name: string }>): string {
  const ns = spec.kubernetes!.namespace ? ` -n ${shellQuote(spec.kubernetes!.namespace)}` : '';
  const lines = [
    '#!/bin/sh',
    '# Written by chatmill launch --executor kubernetes: applies the phases in order, waiting for each Job to',
    '# complete. A Job is deleted before it is applied again (its pod template cannot be changed in place);',
    '# ranks that completed before exit at once, so a re-run redoes only the rest.',
    'set -eu',
    'cd "$(dirname "$0")"',
  ];
  for (const { file, name } of files) {
    lines.push(`kubectl${ns} delete job ${name} --ignore-not-found`);
    lines.push(`kubectl${ns} apply -f ${shellQuote(file)}`);
    lines.push(`kubectl${ns} wait --for=condition=complete --timeout=168h job/${name}`);
  }
  return `${lines.join('\n')}\n`;
}

export const kubernetesExecutor: Executor = {
  name: 'kubernetes',
  async launch(spec: LaunchSpec): Promise<LaunchOutcome> {
    if (!spec.dryRun) {
      throw new UsageError('--executor kubernetes needs --dry-run: chatmill writes the Job manifests and apply.sh, and you apply them with kubectl');
    }
    const dir = join(spec.runDir, 'kubernetes');
    await mkdir(dir, { recursive: true });
    const written: Array<{ file: string; name: string }> = [];
    const docs: Array<[Phase | 'merge', Record<string, unknown>]> = [
      ...PHASES.map((p) => [p, phaseManifest(spec, p)] as [Phase, Record<string, unknown>]),
      ['merge', mergeManifest(spec)],
    ];
    for (const [i, [phase, doc]] of docs.entries()) {
      const file = `${(i + 1) * 10}-${phase}.yaml`;
      await writeFileAtomic(join(dir, file), stringify(doc, { lineWidth: 0 }));
      written.push({ file, name: kubernetesJobName(spec.runDir, phase) });
    }
    await writeFileAtomic(join(dir, 'apply.sh'), applyScript(spec, written));
    const files = [...written.map((w) => join(dir, w.file)), join(dir, 'apply.sh')];
    for (const f of files) spec.say(`wrote ${f}`);
    spec.say(`apply them in order with: sh ${join(dir, 'apply.sh')}`);
    return { exitCode: 0, files };
  },
};
