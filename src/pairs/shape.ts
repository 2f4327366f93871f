import { isObject, problem } from '../formats/problem.js';
import { detectPreference } from './detect.js';
import { fromExplicit } from './explicit.js';
import { fromHH } from './hh.js';
import { fromImplicit } from './implicit.js';
import { fromKto } from './kto.js';
import { fromJudgment } from './judgment.js';
import { fromOpenAIPreference } from './openai-preference.js';
import { fromLlamaFactory, fromLlamaFactoryV1 } from './llamafactory.js';
import { fromRanked } from './ranked.js';
import { fromUltraFeedback } from './ultrafeedback.js';
import type { PairOptions, ReadResult } from './types.js';

/** Detect a record's preference shape and read it into one of the three internal forms, or say why it yields none. */
export function readShape(record: unknown, options: Pick<PairOptions, 'aggregate' | 'aspect'>): ReadResult {
  const format = detectPreference(record);
  if (!format || !isObject(record)) {
    return problem('not_preference', 'no preference shape fits this record (see docs/pairs.md for the shapes read)', '');
  }
  switch (format) {
    case 'hh':
      return fromHH(record);
    case 'llamafactory_v1':
      return fromLlamaFactoryV1(record);
    case 'llamafactory':
      return fromLlamaFactory(record);
    case 'explicit':
      return fromExplicit(record);
    case 'implicit':
      return fromImplicit(record);
    case 'kto':
      return fromKto(record);
    case 'ranked':
      return fromRanked(record);
    case 'ultrafeedback':
      return fromUltraFeedback(record, options);
    case 'openai_preference':
      return fromOpenAIPreference(record);
    case 'pairwise_judgment':
      return fromJudgment(record);
  }
}
