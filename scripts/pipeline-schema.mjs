// Writes schemas/pipeline.schema.json from the zod schema (run after `tsc`; part of `npm run build`),
// so editors with YAML language support can validate and complete pipeline files.
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { Pipeline } from '../dist/schemas/pipeline.js';

const schema = z.toJSONSchema(Pipeline, { io: 'input', unrepresentable: 'any' });
schema.title = 'chatmill pipeline file';
writeFileSync(new URL('../schemas/pipeline.schema.json', import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
