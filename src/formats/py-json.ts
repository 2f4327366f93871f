/**
 * JSON text in the style of Python's `json.dumps(obj, ensure_ascii=False)`: `", "` between items and
 * `": "` between key and value. Hermes tool calls and tool responses are written this way in the
 * published Hermes data, so token counts match what the model saw.
 */
export function pyJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
  if (typeof value === 'object') {
    const parts = Object.keys(value).map((k) => `${JSON.stringify(k)}: ${pyJson((value as Record<string, unknown>)[k])}`);
    return `{${parts.join(', ')}}`;
  }
  return 'null';
}
