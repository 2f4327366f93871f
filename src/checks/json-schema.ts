import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * ajv, loaded on the first schema compiled: only --json-mode and --tool-arguments compile schemas, and importing
 * ajv is a noticeable part of every command's start-up. It is CommonJS, so it loads synchronously here.
 */
const load = (id: string) => createRequire(import.meta.url)(id) as Record<string, unknown>;
const newAjv = (options: object) => new (load('ajv').Ajv as new (o: object) => Ajv)(options);
const newAjv2020 = (options: object) => new (load('ajv/dist/2020.js').Ajv2020 as new (o: object) => Ajv2020)(options);

/** A compiled schema, or why it could not be compiled. */
export type Compiled = { ok: true; validate: ValidateFunction } | { ok: false; message: string };

/** The first thing wrong with a value: a JSON pointer into it and ajv's words. */
export interface Failure {
  pointer: string;
  message: string;
}

// Distinct schemas are kept compiled up to this many; past it the cache and the ajv instances (which keep every
// schema they compiled) start afresh, so a file with a new schema per record cannot grow memory without bound.
const MAX_CACHED = 2_000;

// strict: false, because real schemas carry keywords ajv does not know (`title` is fine, but Pydantic's and
// OpenAPI's extras are not). Formats are not checked: no format vocabulary is installed (ajv-formats).
const OPTIONS = { strict: false, allErrors: false, validateFormats: false, logger: false as const };

let cache = new Map<string, Compiled>();
let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

/** `$schema` names draft-07 (or older, read as draft-07); anything else, or none, is draft 2020-12. */
function ajvFor(schema: unknown): Ajv | Ajv2020 {
  const declared = typeof schema === 'object' && schema !== null ? (schema as Record<string, unknown>).$schema : undefined;
  if (typeof declared === 'string' && /draft-0[4-7]/.test(declared)) return (draft07 ??= newAjv(OPTIONS));
  return (draft2020 ??= newAjv2020(OPTIONS));
}

/**
 * Compile a JSON Schema once per distinct text. A schema that is not an object or boolean, or that ajv refuses
 * (an unknown type name, a `$ref` it cannot resolve offline), comes back with ajv's message.
 */
export function compileSchema(schema: unknown, key = JSON.stringify(schema)): Compiled {
  const hit = cache.get(key);
  if (hit) return hit;
  if (cache.size >= MAX_CACHED) {
    cache = new Map();
    draft07 = draft2020 = undefined;
  }
  let compiled: Compiled;
  if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
    compiled = { ok: false, message: 'a JSON Schema must be an object or a boolean' };
  } else {
    try {
      // ajv keys its own cache by the schema's JSON text; a schema with a top-level `$id` seen twice is an error
      // there, so compile a copy without adding it to ajv's registry of named schemas.
      const validate = ajvFor(schema).compile(stripId(schema));
      compiled = { ok: true, validate };
    } catch (e) {
      compiled = { ok: false, message: (e as Error).message };
    }
  }
  cache.set(key, compiled);
  return compiled;
}

function stripId(schema: object | boolean): object | boolean {
  if (typeof schema === 'boolean' || !('$id' in schema)) return schema;
  const { $id: _ignored, ...rest } = schema as Record<string, unknown>;
  return rest;
}

/** Validate `value`; undefined when it fits, else the first failure. */
export function firstFailure(validate: ValidateFunction, value: unknown): Failure | undefined {
  if (validate(value)) return undefined;
  const e = validate.errors?.[0];
  return e ? describeError(e) : { pointer: '', message: 'does not match the schema' };
}

/** ajv's error as a pointer to the offending value (the missing or unknown property itself) and a message. */
function describeError(e: ErrorObject): Failure {
  const p = e.params as Record<string, unknown>;
  const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
  if (e.keyword === 'required') return { pointer: `${e.instancePath}/${escape(String(p.missingProperty))}`, message: `missing required property ${JSON.stringify(p.missingProperty)}` };
  if (e.keyword === 'additionalProperties') return { pointer: `${e.instancePath}/${escape(String(p.additionalProperty))}`, message: `unknown property ${JSON.stringify(p.additionalProperty)} (additionalProperties is false)` };
  if (e.keyword === 'enum') return { pointer: e.instancePath, message: `must be one of ${JSON.stringify(p.allowedValues)}` };
  return { pointer: e.instancePath, message: e.message ?? e.keyword };
}
