/**
 * Tool sets written by hand or generated from Python signatures use type names that are not JSON Schema's:
 * `dict`, `float`, `tuple`, `any`, `str, optional`, `List[int]`. They are read for what they mean, not rejected.
 * Returns a copy of the schema with such names replaced; a schema without them comes back as it is.
 */
const NAMES: Record<string, string | null> = {
  object: 'object', dict: 'object', map: 'object', mapping: 'object',
  number: 'number', float: 'number', double: 'number', decimal: 'number',
  integer: 'integer', int: 'integer', long: 'integer',
  string: 'string', str: 'string', text: 'string',
  boolean: 'boolean', bool: 'boolean',
  array: 'array', list: 'array', tuple: 'array', set: 'array', sequence: 'array',
  null: 'null', none: 'null', nonetype: 'null',
  // `any` constrains nothing: the keyword is removed.
  any: null, object_any: null,
};

/** `List[str]`, `list[int]`, `Tuple[float]`: an array of the inner type. */
const GENERIC = /^(list|tuple|set|sequence|array)\[(.+)\]$/i;

type Mapped = { type?: string | string[]; items?: unknown } | undefined;

function mapName(raw: string): Mapped {
  const name = raw.trim().replace(/\s*,\s*optional$/i, '');
  const plain = NAMES[name.toLowerCase()];
  if (plain !== undefined) return plain === null ? {} : { type: plain };
  const generic = GENERIC.exec(name);
  if (generic) {
    const inner = mapName(generic[2]);
    return { type: 'array', ...(inner && inner.type ? { items: { type: inner.type } } : {}) };
  }
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function withJsonSchemaTypeNames(schema: unknown, depth = 0): unknown {
  // Schemas reach us through JSON.parse under --max-depth, so this recursion is bounded; the guard is for callers
  // that build schemas themselves.
  if (depth > 200) return schema;
  if (Array.isArray(schema)) {
    let changed = false;
    const out = schema.map((s) => {
      const m = withJsonSchemaTypeNames(s, depth + 1);
      if (m !== s) changed = true;
      return m;
    });
    return changed ? out : schema;
  }
  if (!isObject(schema)) return schema;
  let out: Record<string, unknown> | undefined;
  const set = (k: string, v: unknown) => ((out ??= { ...schema })[k] = v);
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'type' && (typeof v === 'string' || Array.isArray(v))) {
      if (typeof v === 'string' && NAMES[v] !== v) {
        const m = mapName(v);
        if (m) {
          out ??= { ...schema };
          delete out.type;
          if (m.type) out.type = m.type;
          if (m.items && !('items' in schema)) out.items = m.items;
        }
      } else if (Array.isArray(v) && v.some((t) => typeof t === 'string' && NAMES[t] !== t)) {
        const mapped = v.map((t) => (typeof t === 'string' ? mapName(t) : undefined));
        if (mapped.every((m) => m !== undefined)) {
          // `any` among the alternatives allows everything.
          if (mapped.some((m) => !m!.type)) {
            out ??= { ...schema };
            delete out.type;
          } else set('type', [...new Set(mapped.map((m) => m!.type as string))]);
        }
      }
    } else if (k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'examples' && typeof v === 'object' && v !== null) {
      const m = withJsonSchemaTypeNames(v, depth + 1);
      if (m !== v) set(k, m);
    }
  }
  return out ?? schema;
}
