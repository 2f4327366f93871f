import type { Role } from '../../schemas/chatml.js';
import { ROLES } from '../../schemas/roles.js';
import type { Stage } from '../types.js';
import { UsageError } from '../types.js';
import { AuditAccumulator, auditStage } from '../tokens/audit.js';
import type { MaskPolicy } from '../tokens/masks.js';
import { resolveTokenizerFiles } from '../tokens/source.js';
import type { OverLengthPolicy } from '../tokens/stage.js';
import { buildTokenizeStage, type TokenizeWorkers } from '../parallel/tokenize-stage.js';

export interface AuditArgs {
  tokenizer: string;
  template: string;
  'template-date'?: string;
  'chat-template-name'?: string;
  'max-length': number;
  'over-length': string;
  'seq-len'?: number;
  'train-on-eos': string;
  'roles-to-train': string;
  'last-turn-only': boolean;
  category?: string[];
  'target-response-share': number;
  'hub-url'?: string;
  /** Worker threads for tokenizing (1: this thread); default CHATMILL_WORKERS or one per CPU. */
  workers?: number;
}

const positiveInt = (name: string, v: number | undefined) => {
  if (v !== undefined && (!Number.isInteger(v) || v <= 0)) throw new UsageError(`${name} must be a positive whole number`);
};

function parseRoles(text: string): Role[] {
  const roles = text.split(',').map((r) => r.trim()).filter(Boolean);
  if (!roles.length) throw new UsageError('--roles-to-train needs at least one role');
  for (const r of roles) if (!(ROLES as readonly string[]).includes(r)) throw new UsageError(`--roles-to-train: unknown role ${JSON.stringify(r)} (system, user, assistant, tool)`);
  return roles as Role[];
}

function parseCategories(pairs: string[] | undefined): Record<string, string> {
  const map: Record<string, string> = Object.create(null);
  for (const p of pairs ?? []) {
    const eq = p.lastIndexOf('=');
    if (eq <= 0 || eq === p.length - 1) throw new UsageError(`--category wants SOURCE=CATEGORY, got ${JSON.stringify(p)}`);
    map[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return map;
}

/**
 * Check the audit options and build the tokenizer, template, stages and accumulator. `expectedTokens` (an
 * estimate from the input files' sizes) lets the tokenize workers start at once for a big input; `started` are
 * workers the caller started for it already (startTokenizeWorkers).
 */
export async function prepareAudit(args: AuditArgs, expectedTokens?: number, started?: TokenizeWorkers): Promise<{ stages: Stage<any, any>[]; accumulator: AuditAccumulator; categoryBySource: Record<string, string> }> {
  positiveInt('--max-length', args['max-length']);
  positiveInt('--seq-len', args['seq-len']);
  positiveInt('--workers', args.workers);
  const share = args['target-response-share'];
  if (!(share >= 0 && share <= 1)) throw new UsageError('--target-response-share must be between 0 and 1');
  const policy: MaskPolicy = {
    trainOnEos: args['train-on-eos'] as MaskPolicy['trainOnEos'],
    rolesToTrain: parseRoles(args['roles-to-train']),
    lastTurnOnly: args['last-turn-only'],
  };
  const files = await resolveTokenizerFiles({ spec: args.tokenizer, hubUrl: args['hub-url'] });
  const maxLength = args['max-length'];
  const categoryBySource = parseCategories(args.category);
  let accumulator: AuditAccumulator | undefined;
  const setup = await buildTokenizeStage({
    files,
    template: { kind: args.template as 'chatml' | 'tokenizer', date: args['template-date'], name: args['chat-template-name'] },
    policy,
    maxLength,
    overLength: args['over-length'] as OverLengthPolicy,
    workers: args.workers,
    expectedTokens,
    started,
    onOverLength: () => accumulator?.noteOverLength(),
  });
  accumulator = new AuditAccumulator({
    tokenizer: { name: files.name, vocab_size: setup.vocabSize, sha256: files.sha256 },
    template: setup.templateName,
    maxLength,
    seqLen: args['seq-len'],
    categoryBySource,
  });
  const stages = [setup.stage, auditStage(accumulator)];
  return { stages, accumulator, categoryBySource };
}
