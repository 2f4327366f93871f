import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { Pipeline } from '../../schemas/pipeline.js';
import { UsageError } from '../types.js';

export interface LoadedPipeline {
  path: string;
  text: string;
  pipeline: Pipeline;
}

/** `datasets.sft.stages[2].tokenize.max_length`: the key path of a zod issue, as a user reads it. */
function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

/**
 * Read and check a pipeline file. Any problem is a UsageError (exit 2) naming the file and the key path,
 * before any data moves. Relative paths inside the file are taken from the directory chatmill runs in
 * (the project root), like every other path on the command line.
 */
export async function loadPipeline(path: string): Promise<LoadedPipeline> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read pipeline file ${path}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true, uniqueKeys: true, maxAliasCount: 100 });
  } catch (e) {
    throw new UsageError(`${path}: not valid YAML: ${(e as Error).message}`);
  }
  const parsed = Pipeline.safeParse(doc ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  at ${keyPath(i.path)}: ${issueText(i)}`);
    throw new UsageError(`${path}: invalid pipeline\n${lines.join('\n')}`);
  }
  return { path, text, pipeline: parsed.data };
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  return issue.message;
}

export const joinOut = (out: string, p: string): string => (isAbsolute(p) ? p : join(out, p));
