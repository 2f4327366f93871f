import type { CommandModule } from 'yargs';
import { runCommandBody } from './exit.js';

interface Args {
  pipeline: string;
  executor: 'local' | 'slurm' | 'kubernetes';
  tasks: number;
  workers?: number;
  out?: string;
  'run-dir'?: string;
  partition?: string;
  time?: string;
  'cpus-per-task'?: number;
  mem?: string;
  'dry-run': boolean;
  restart: boolean;
  image: string;
  'volume-claim': string;
  'mount-path': string;
  'retries-per-index': number;
  namespace?: string;
}

const positiveInt = (name: string, v: number | undefined): void => {
  if (v !== undefined && (!Number.isSafeInteger(v) || v < 1)) throw new Error(`--${name} must be a whole number of at least 1, not ${v}`);
};

export const launchCommand: CommandModule<object, Args> = {
  command: 'launch <pipeline>',
  describe: 'Run a pipeline over N ranks: local processes, a Slurm job array, or Kubernetes Indexed Job manifests',
  builder: (y) =>
    y
      .positional('pipeline', { type: 'string', demandOption: true, describe: 'pipeline YAML file' })
      .option('executor', { choices: ['local', 'slurm', 'kubernetes'] as const, default: 'local' as const, describe: 'where the ranks run' })
      .option('tasks', { type: 'number', demandOption: true, describe: 'number of ranks N (the world size)' })
      .option('workers', { type: 'number', describe: 'ranks running at once, K (local: CPU count; slurm: %K; kubernetes: parallelism)' })
      .option('out', { type: 'string', describe: "output directory (default: the pipeline's `out`)" })
      .option('run-dir', { type: 'string', describe: 'run directory on storage every rank shares (default <out>/.run)' })
      .option('partition', { type: 'string', describe: 'slurm: partition' })
      .option('time', { type: 'string', describe: 'slurm: time limit per task (kubernetes: activeDeadlineSeconds)' })
      .option('cpus-per-task', { type: 'number', describe: 'slurm: CPUs per task (kubernetes: CPU request)' })
      .option('mem', { type: 'string', describe: 'slurm: memory per task, e.g. 8G (kubernetes: memory request)' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'write scripts/manifests and print the commands, submit nothing' })
      .option('restart', { type: 'boolean', default: false, describe: 'clear the run directory and start over (also after a change of world size, inputs or pipeline)' })
      .option('image', { type: 'string', default: 'chatmill:latest', describe: 'kubernetes: container image with chatmill installed' })
      .option('volume-claim', { type: 'string', default: 'chatmill-workspace', describe: 'kubernetes: PersistentVolumeClaim (ReadWriteMany) every pod mounts' })
      .option('mount-path', { type: 'string', default: '/workspace', describe: 'kubernetes: where the claim is mounted (the working directory)' })
      .option('retries-per-index', { type: 'number', default: 1, describe: 'kubernetes: backoffLimitPerIndex' })
      .option('namespace', { type: 'string', describe: 'kubernetes: namespace of the Jobs' }) as never,
  handler: (args) =>
    runCommandBody(async () => {
      const { UsageError } = await import('../types.js');
      const { availableParallelism } = await import('node:os');
      const { isAbsolute, relative, resolve } = await import('node:path');
      const { fileURLToPath } = await import('node:url');
      try {
        positiveInt('tasks', args.tasks);
        positiveInt('workers', args.workers);
        positiveInt('cpus-per-task', args['cpus-per-task']);
        if (!Number.isSafeInteger(args['retries-per-index']) || args['retries-per-index'] < 0) throw new Error('--retries-per-index must be a whole number of at least 0');
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const { prepareRun } = await import('../distributed/run-dir.js');
      // Pods see the project folder at the mount path, not where it is here: run.json must hold the output folder
      // as the ranks will name it, so a Kubernetes launch records it relative to this directory.
      let out = args.out;
      if (out && args.executor === 'kubernetes' && isAbsolute(out)) {
        out = relative(process.cwd(), out);
        if (out.startsWith('..') || isAbsolute(out)) throw new UsageError(`--out ${args.out} is outside the current directory, which is what the pods mount`);
      }
      const prepared = await prepareRun({ pipelinePath: args.pipeline, worldSize: args.tasks, runDir: args['run-dir'], out, restart: args.restart });
      // Absolute, because Slurm scripts and status name it from other directories and other machines.
      const runDir = resolve(prepared.runDir);
      const outDir = prepared.outDir;
      // CHATMILL_CLI names the command that runs chatmill on the ranks (a wrapper, or a stand-in in tests);
      // by default it is this very CLI for local and Slurm (same checkout on shared storage), and the image's
      // `chatmill` for Kubernetes.
      const fromEnv = process.env.CHATMILL_CLI?.trim();
      const cli = fromEnv
        ? fromEnv.split(/\s+/)
        : args.executor === 'kubernetes'
          ? ['chatmill']
          : [process.execPath, resolve(fileURLToPath(new URL('./main.js', import.meta.url)))];
      const workers = args.workers ?? (args.executor === 'local' ? Math.min(args.tasks, availableParallelism()) : args.tasks);
      const executor =
        args.executor === 'slurm'
          ? (await import('../executors/slurm.js')).slurmExecutor
          : args.executor === 'kubernetes'
            ? (await import('../executors/kubernetes.js')).kubernetesExecutor
            : (await import('../executors/local.js')).localExecutor;
      process.stderr.write(`chatmill launch: ${args.executor}, ${args.tasks} rank(s); run directory ${runDir}\n`);
      const outcome = await executor.launch({
        pipelinePath: args.pipeline,
        runDir,
        out,
        tasks: args.tasks,
        workers,
        cli,
        dryRun: args['dry-run'],
        resources: { partition: args.partition, time: args.time, cpusPerTask: args['cpus-per-task'], mem: args.mem },
        kubernetes: { image: args.image, claim: args['volume-claim'], mountPath: args['mount-path'], retriesPerIndex: args['retries-per-index'], namespace: args.namespace },
        say: (line) => process.stderr.write(`${line}\n`),
      });
      if (outcome.exitCode === 0 && args.executor === 'local' && !args['dry-run']) process.stderr.write(`chatmill launch: done; outputs in ${outDir}/\n`);
      if (outcome.exitCode === 0 && args.executor === 'slurm' && !args['dry-run']) process.stderr.write(`chatmill launch: submitted; follow it with \`chatmill status ${runDir}\`\n`);
      return outcome.exitCode;
    }),
};
