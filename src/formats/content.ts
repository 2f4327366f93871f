import { isObject, own, problem, describe, type Problem } from './problem.js';
import { parseCallText, type ToolCall } from './tool-calls.js';
import { MEDIA_PART } from '../checks/multimodal.js';

export type ContentResult = { ok: true; text: string; calls: ToolCall[]; warnings: string[] } | Problem;

/**
 * A turn's content as text. Strings pass through untouched. Lists of parts are joined with "\n":
 * text parts ({type: "text", text | value}) as they are, `reasoning` parts as `<think>\n…\n</think>`,
 * `tool_call` parts as calls (returned separately so the caller renders them Hermes-style).
 * Media parts (image, audio, video) are rejected as `multimodal_content`: chatmill prepares text-only data, and
 * dropping the media would leave a turn that talks about something the model never sees.
 */
export function contentToText(raw: unknown, path: string): ContentResult {
  if (raw === undefined || raw === null) return { ok: true, text: '', calls: [], warnings: [] };
  if (typeof raw === 'string') return { ok: true, text: raw, calls: [], warnings: [] };
  if (!Array.isArray(raw)) return problem('invalid_content', `content must be a string or a list of parts, got ${describe(raw)}`, path);
  const pieces: string[] = [];
  const calls: ToolCall[] = [];
  const warnings: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const part = raw[i];
    const at = `${path}[${i}]`;
    if (typeof part === 'string') {
      pieces.push(part);
      continue;
    }
    if (!isObject(part)) return problem('invalid_content', `content part must be an object, got ${describe(part)}`, at);
    const type = own(part, 'type') ?? 'text';
    const value = own(part, 'text') ?? own(part, 'value') ?? own(part, 'content');
    if (type === 'text' || type === 'input_text' || type === 'output_text') {
      if (typeof value !== 'string') return problem('invalid_content', 'text part has no string text/value', at);
      pieces.push(value);
    } else if (type === 'reasoning' || type === 'thinking') {
      if (typeof value !== 'string') return problem('invalid_content', 'reasoning part has no string value', at);
      pieces.push(`<think>\n${value}\n</think>`);
    } else if (type === 'tool_call') {
      const parsed = typeof value === 'string' ? parseCallText(value, at) : parseCallText(JSON.stringify(value ?? null), at);
      if (!parsed.ok) return parsed;
      calls.push(...parsed.calls);
      warnings.push(...parsed.warnings);
    } else if (typeof type === 'string' && MEDIA_PART.test(type)) {
      return problem('multimodal_content', `content part type ${JSON.stringify(type)} holds media: chatmill prepares text-only data`, at);
    } else {
      return problem('unsupported_content_part', `content part type ${JSON.stringify(type)} has no ChatML text form`, at);
    }
  }
  return { ok: true, text: pieces.join('\n'), calls, warnings };
}
