/** A reason a record cannot be normalized: becomes a reject with this code, message and path. */
export interface Problem {
  ok: false;
  reason: string;
  message: string;
  path: string;
}

export const problem = (reason: string, message: string, path: string): Problem => ({ ok: false, reason, message, path });

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Own-property read: never walks the prototype chain, so `__proto__`/`constructor` keys are plain data. */
export const own = (o: Record<string, unknown>, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

export const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
