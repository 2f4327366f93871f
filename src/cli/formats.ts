import type { CommandModule } from 'yargs';
import { runCommandBody } from './exit.js';

export const formatsCommand: CommandModule<object, { json: boolean }> = {
  command: 'formats',
  describe: 'List the input formats chatmill detects (per record) and the role names it understands',
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'print as JSON' }) as never,
  handler: (args) =>
    runCommandBody(async () => {
      const { FORMATS } = await import('../formats/registry.js');
      const { KNOWN_ROLE_NAMES } = await import('../formats/roles.js');
      if (args.json) {
        process.stdout.write(`${JSON.stringify({ formats: FORMATS.map((f) => ({ name: f.name, description: f.description })), roles: KNOWN_ROLE_NAMES })}\n`);
        return;
      }
      const width = Math.max(...FORMATS.map((f) => f.name.length));
      const lines = FORMATS.map((f) => `  ${f.name.padEnd(width)}  ${f.description}`);
      process.stdout.write(
        [
          'SFT formats, detected per record in this order (force one with --format NAME):',
          ...lines,
          '',
          'Detected labels also include `hermes` (system prompt lists <tools>) and `parts` (typed content parts).',
          `Role names understood: ${KNOWN_ROLE_NAMES.join(', ')}`,
          'Custom field and role names: use `columns` and `roles` on an input in a pipeline file.',
          'Preference formats (chosen/rejected, HH transcripts, ratings, KTO, OpenAI preference, pairwise judgments): see docs/pairs.md and `chatmill pairs --help`.',
          '',
        ].join('\n'),
      );
    }),
};
