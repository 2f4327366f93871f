import type { Conversation } from '../../schemas/chatml.js';
import type { Stage } from '../types.js';
import { jsonModeStage, type JsonModeOptions } from './json-mode.js';
import { toolArgumentsStage } from './tool-arguments.js';
import { refusalsStage, type RefusalOptions } from './refusals.js';

/** The content checks a command asked for (`--json-mode`, `--tool-arguments`, `--refusals`). */
export interface ContentChecks {
  jsonMode?: JsonModeOptions;
  toolArguments?: boolean;
  refusals?: RefusalOptions;
}

/** The check stages in their fixed order: rejects first (a broken record is not worth a refusal warning). */
export function contentCheckStages(c: ContentChecks | undefined): Stage<Conversation, Conversation>[] {
  if (!c) return [];
  return [
    ...(c.jsonMode ? [jsonModeStage(c.jsonMode)] : []),
    ...(c.toolArguments ? [toolArgumentsStage()] : []),
    ...(c.refusals ? [refusalsStage(c.refusals)] : []),
  ];
}
