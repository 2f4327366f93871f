import type { Conversation } from '../../schemas/chatml.js';
import { parseEmbedded } from '../formats/tools.js';

/** One tool call as the content checks see it, whichever way the record carries it. */
export interface SeenCall {
  /** Index of the assistant turn in `messages`. */
  turn: number;
  /** Where the call's arguments are, for reject paths. */
  at: string;
  name: string;
  /** The parsed arguments; undefined when they are not JSON (the validate stage rejects those). */
  arguments: unknown;
}

/** One tool result: the turn and the tool name it says it answers (undefined when it names none). */
export interface SeenResult {
  turn: number;
  at: string;
  name: string | undefined;
}

/**
 * A turn as it may arrive: today `{role, content}` with Hermes `<tool_call>`/`<tool_response>` text; after the
 * structured-tool-call change, assistant turns may also carry `tool_calls` and tool turns `name`/`tool_call_id`.
 */
interface AnyTurn {
  role: string;
  content?: unknown;
  tool_calls?: unknown;
  name?: unknown;
  tool_call_id?: unknown;
}

const CALL_BLOCK = /<tool_call>([\s\S]*?)<\/tool_call>/g;
const RESPONSE_BLOCK = /<tool_response>([\s\S]*?)<\/tool_response>/g;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Arguments given as an object, or as JSON text (the OpenAI wire form). */
function argumentsValue(raw: unknown): unknown {
  if (typeof raw === 'string') return parseEmbedded(raw.trim()).value;
  return raw ?? {};
}

/**
 * Every tool call and tool result of a record, in turn order. The one place the content checks read tool
 * calls: structured `tool_calls` on a turn are read when present, else `<tool_call>` blocks in its text; the
 * same for tool results (`name` on the turn, else `<tool_response>` blocks).
 */
export function readToolTraffic(c: Pick<Conversation, 'messages'>): { calls: SeenCall[]; results: SeenResult[] } {
  const calls: SeenCall[] = [];
  const results: SeenResult[] = [];
  const turns = c.messages as AnyTurn[];
  for (let i = 0; i < turns.length; i++) {
    const m = turns[i];
    const text = typeof m.content === 'string' ? m.content : '';
    if (m.role === 'assistant') {
      if (Array.isArray(m.tool_calls)) {
        m.tool_calls.forEach((tc, j) => {
          const fn = isObject(tc) && isObject(tc.function) ? tc.function : isObject(tc) ? tc : {};
          if (typeof fn.name === 'string') calls.push({ turn: i, at: `messages[${i}].tool_calls[${j}].function.arguments`, name: fn.name, arguments: argumentsValue(fn.arguments) });
        });
      } else if (text.includes('<tool_call>')) {
        let j = 0;
        for (const block of text.matchAll(CALL_BLOCK)) {
          const parsed = parseEmbedded(block[1].trim()).value;
          for (const call of Array.isArray(parsed) ? parsed : [parsed]) {
            const fn = isObject(call) && isObject(call.function) ? call.function : isObject(call) ? call : {};
            if (typeof fn.name === 'string') calls.push({ turn: i, at: `messages[${i}].content(tool_call ${j})`, name: fn.name, arguments: argumentsValue(fn.arguments ?? fn.parameters) });
            j++;
          }
        }
      }
    } else if (m.role === 'tool') {
      if (typeof m.name === 'string' || typeof m.tool_call_id === 'string') {
        results.push({ turn: i, at: `messages[${i}].name`, name: typeof m.name === 'string' ? m.name : undefined });
      } else if (text.includes('<tool_response>')) {
        for (const block of text.matchAll(RESPONSE_BLOCK)) {
          const parsed = parseEmbedded(block[1].trim()).value;
          results.push({ turn: i, at: `messages[${i}].content`, name: isObject(parsed) && typeof parsed.name === 'string' ? parsed.name : undefined });
        }
      }
    }
  }
  return { calls, results };
}
