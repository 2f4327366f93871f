/**
 * Visit every string (object keys and values) of a parsed JSON value in document order, with an explicit
 * stack instead of recursion, so no input can overflow the call stack. Paths are built only when asked for.
 */

interface Frame {
  value: unknown;
  /** The key or index under which `value` sits in its parent; undefined for the root. */
  key: string | number | undefined;
  parent: Frame | undefined;
}

export interface StringSite {
  text: string;
  /** True when the string is an object key, false when it is a value. */
  isKey: boolean;
  /** The object or array holding the string (the object, for a key). */
  container: Record<string, unknown> | unknown[] | undefined;
  /** The key or index of the string (of the key itself, for a key) in `container`. */
  key: string | number | undefined;
  /** `messages[1].content`, `meta["odd key"]`; empty for the root. */
  path(): string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function pathOf(frame: Frame | undefined): string {
  const parts: string[] = [];
  for (let f = frame; f && f.key !== undefined; f = f.parent) {
    const k = f.key;
    // A key is written escaped, so a path naming a key with a lone surrogate is itself valid text.
    if (typeof k === 'number') parts.push(`[${k}]`);
    else if (IDENTIFIER.test(k)) parts.push(f.parent?.key === undefined ? k : `.${k}`);
    else parts.push(`[${JSON.stringify(k)}]`);
  }
  return parts.reverse().join('');
}

export function* stringSites(root: unknown): Generator<StringSite> {
  const stack: Frame[] = [{ value: root, key: undefined, parent: undefined }];
  while (stack.length) {
    const frame = stack.pop()!;
    const { value } = frame;
    const parent = frame.parent?.value as Record<string, unknown> | unknown[] | undefined;
    if (typeof frame.key === 'string') {
      yield { text: frame.key, isKey: true, container: parent, key: frame.key, path: () => pathOf(frame) };
    }
    if (typeof value === 'string') {
      yield { text: value, isKey: false, container: parent, key: frame.key, path: () => pathOf(frame) };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: i, parent: frame });
    } else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) stack.push({ value: (value as Record<string, unknown>)[keys[i]], key: keys[i], parent: frame });
    }
  }
}

/** String.prototype.isWellFormed (Node 20) is newer than the ES2023 lib this project compiles against. */
export const isWellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

/** Path of the first string (key or value) holding a lone surrogate, or undefined when there is none. */
export function firstIllFormedString(root: unknown): string | undefined {
  for (const site of stringSites(root)) if (!isWellFormed(site.text)) return site.path();
  return undefined;
}
