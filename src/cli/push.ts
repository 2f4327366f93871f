import type { Argv, CommandModule } from 'yargs';
import { runCommandBody } from './exit.js';

interface PushArgs {
  dir: string;
  repo: string;
  private: boolean;
  branch: string;
  pr: boolean;
  message?: string;
  'hub-url': string;
  'dry-run': boolean;
  json: boolean;
  'token-file'?: string;
}

/** `chatmill push DIR --repo ns/name`: publish an exported dataset folder to the Hugging Face Hub. */
export const pushCommand: CommandModule<object, PushArgs> = {
  command: 'push <dir>',
  describe: 'Publish an exported dataset folder to the Hugging Face Hub (idempotent; token from HF_TOKEN or --token-file)',
  builder: (y: Argv) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'folder written by `chatmill export`' })
      .option('repo', { type: 'string', demandOption: true, describe: 'dataset repo, namespace/name' })
      .option('private', { type: 'boolean', default: false, describe: 'create the repo private (an existing repo keeps its visibility)' })
      .option('branch', { type: 'string', default: 'main' })
      .option('pr', { type: 'boolean', default: false, describe: 'open a pull request instead of committing to the branch' })
      .option('message', { type: 'string', describe: 'commit title' })
      .option('hub-url', { type: 'string', default: process.env.HF_ENDPOINT || 'https://huggingface.co' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'plan and print what would change; write nothing' })
      .option('json', { type: 'boolean', default: false, describe: 'print {repo,url,commits,uploaded,skipped,deleted} to stdout' })
      .option('token-file', { type: 'string', describe: 'file holding the Hub token (default: $HF_TOKEN)' }) as unknown as Argv<PushArgs>,
  handler: (argv) =>
    runCommandBody(async () => {
      const { resolveToken } = await import('../hub/token.js');
      const { pushDataset } = await import('../hub/push.js');
      const { createProgressReporter, formatBytes } = await import('../hub/progress-report.js');
      const token = await resolveToken({ env: process.env, tokenFile: argv['token-file'], required: !argv['dry-run'] });
      const report = createProgressReporter({ write: (t) => process.stderr.write(t), isTTY: Boolean(process.stderr.isTTY), token });
      const planned: { upload: { path: string; size: number }[]; delete: string[] }[] = [];
      const result = await pushDataset({
        dir: argv.dir,
        repo: argv.repo,
        hubUrl: argv['hub-url'],
        token,
        branch: argv.branch,
        private: argv.private,
        createPr: argv.pr,
        message: argv.message,
        dryRun: argv['dry-run'],
        onProgress: (e) => (e.type === 'plan' && planned.push(e), report(e)),
      });
      if (argv.json) {
        const { repo, url, commits, uploaded, skipped, deleted } = result;
        process.stdout.write(`${JSON.stringify({ repo, url, commits, uploaded, skipped, deleted })}\n`);
      } else if (argv['dry-run']) {
        const plan = planned.at(-1)!;
        for (const f of plan.upload) process.stdout.write(`would upload ${f.path} (${formatBytes(f.size)})\n`);
        for (const p of plan.delete) process.stdout.write(`would delete ${p}\n`);
        process.stdout.write(`dry run: ${result.uploaded} to upload, ${result.skipped} unchanged, ${result.deleted} to delete in ${result.repo}\n`);
      } else if (result.commits.length === 0) {
        process.stdout.write(`${result.url} is up to date (${result.skipped} file(s) unchanged)\n`);
      } else {
        process.stdout.write(
          `pushed ${result.uploaded} file(s) in ${result.commits.length} commit(s) to ${result.url}` +
            ` (${result.skipped} unchanged, ${result.deleted} stale deleted)\n`,
        );
      }
      return 0;
    }),
};
