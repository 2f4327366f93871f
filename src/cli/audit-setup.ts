import { Role } from '../../schemas/chatml.js';
import type { Stage } from '../types.js';
import { UsageError } from '../types.js';
import { AuditAccumulator, auditStage } from '../tokens/audit.js';
import { TokenEncoder } from '../tokens/encoder.js';
import type { MaskPolicy } from '../tokens/masks.js';
import { resolveTokenizerFiles } from '../tokens/source.js';
import { tokenizeStage, type OverLengthPolicy } from '../tokens/stage.js';
import { makeTemplate } from '../tokens/template.js';

export interface AuditArgs {
  tokenizer: string;
  template: string;
  'template-date'?: string;
  'max-length': number;
  'over-length': string;
  'seq-len'?: number;
  'train-on-eos': string;
  'roles-to-train': string;
  'last-turn-only': boolean;
  category?: string[];
  'target-response-share': number;
  'hub-url'?: string;
}

const positiveInt = (name: string, v: number | undefined) => {
  if (v !== undefined && (!Number.isInteger(v) || v <= 0)) throw new UsageError(`${name} must be a positive whole number`);
};

function parseRoles(text: string): Role[] {
  const roles = text.split(',').map((r) => r.trim()).filter(Boolean);
  if (!roles.length) throw new UsageError('--roles-to-train needs at least one role');
  for (const r of roles) if (!Role.safeParse(r).success) throw new UsageError(`--roles-to-train: unknown role ${JSON.stringify(r)} (system, user, assistant, tool)`);
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

/** Check the audit options and build the tokenizer, template, stages and accumulator. */
export async function prepareAudit(args: AuditArgs): Promise<{ stages: Stage<any, any>[]; accumulator: AuditAccumulator; categoryBySource: Record<string, string> }> {
  positiveInt('--max-length', args['max-length']);
  positiveInt('--seq-len', args['seq-len']);
  const share = args['target-response-share'];
  if (!(share >= 0 && share <= 1)) throw new UsageError('--target-response-share must be between 0 and 1');
  const policy: MaskPolicy = {
    trainOnEos: args['train-on-eos'] as MaskPolicy['trainOnEos'],
    rolesToTrain: parseRoles(args['roles-to-train']),
    lastTurnOnly: args['last-turn-only'],
  };
  const files = await resolveTokenizerFiles({ spec: args.tokenizer, hubUrl: args['hub-url'] });
  const encoder = new TokenEncoder(files);
  if (!encoder.hasOffsets) throw new UsageError(`tokenizer ${files.name} is not byte-level BPE; response/instruction masks need token offsets (see docs/tokens.md)`);
  const template = makeTemplate({ kind: args.template as 'chatml' | 'tokenizer', encoder, date: args['template-date'] });
  const maxLength = args['max-length'];
  const categoryBySource = parseCategories(args.category);
  const accumulator = new AuditAccumulator({
    tokenizer: { name: files.name, vocab_size: encoder.vocabSize, sha256: files.sha256 },
    template: template.name,
    maxLength,
    seqLen: args['seq-len'],
    categoryBySource,
  });
  const stages = [
    tokenizeStage({ tokenizer: encoder, template, ...policy, maxLength, overLength: args['over-length'] as OverLengthPolicy, onOverLength: accumulator.noteOverLength }),
    auditStage(accumulator),
  ];
  return { stages, accumulator, categoryBySource };
}
