import type { z } from 'zod';
import type { JsonModeOptions as JsonModeSchema, RefusalsOptions as RefusalsSchema } from '../../schemas/pipeline.js';
import { RefusalsOptions as RefusalsDefaults, JsonModeOptions as JsonModeDefaults } from '../../schemas/pipeline.js';
import type { JsonModeOptions } from './json-mode.js';
import type { RefusalOptions } from './refusals.js';

/** A pipeline file's `json_mode:` section (null for the defaults) as the stage's options. */
export const jsonModeSettingsFrom = (j: z.infer<typeof JsonModeSchema> | null | undefined): JsonModeOptions => {
  const o = j ?? JsonModeDefaults.parse({});
  return { schemaField: o.schema_field };
};

/** A pipeline file's `refusals:` section (null for the defaults) as the stage's options. */
export const refusalSettingsFrom = (r: z.infer<typeof RefusalsSchema> | null | undefined): RefusalOptions => {
  const o = r ?? RefusalsDefaults.parse({});
  return {
    phrases: o.phrases,
    replacePhrases: o.replace_phrases,
    dropRefusals: o.drop_refusals,
    dropSelfReference: o.drop_self_reference,
    exemptCategories: o.exempt_categories,
  };
};
