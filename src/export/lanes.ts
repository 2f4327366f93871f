import { Conversation } from '../../schemas/chatml.js';
import { PreferencePair, UnpairedPreference } from '../../schemas/preference.js';
import { looksLikePreference } from '../formats/registry.js';
import { isObject } from '../formats/problem.js';
import { pairsStage } from '../pairs/stage.js';
import { detectPreference } from '../pairs/detect.js';
import { bypassStage } from '../stages/bypass.js';
import { keep, type Stage, type StageContext, type Keep } from '../types.js';
import { detectKind } from './rows.js';

/**
 * Which way a record goes through export. `pair`: a DPO or KTO record chatmill wrote (`pairs`, `run`), valid
 * against its schema: exported as it is. `preference`: raw preference data (the records SFT commands turn
 * away as `preference_record`, and KTO records): paired as `chatmill pairs` pairs it, with its defaults. Anything else is a
 * conversation and takes `convert`'s path.
 */
type Lane = 'pair' | 'preference';

function laneOf(value: unknown): Lane | undefined {
  if (!isObject(value)) return undefined;
  const kind = detectKind(value);
  if (kind === 'dpo' && PreferencePair.safeParse(value).success) return 'pair';
  if (kind === 'kto' && UnpairedPreference.safeParse(value).success) return 'pair';
  // KTO records ({messages, label}) read as SFT elsewhere (with a warning); exported, their label belongs in the kto config.
  return looksLikePreference(value) || detectPreference(value) === 'kto' ? 'preference' : undefined;
}

const COUNT_FIELDS = ['n_tokens', 'n_instruction_tokens', 'n_response_tokens'] as const;

/**
 * convert's normalize stage, except that a chatmill record's token counts survive it: the native adapter
 * rebuilds the record and keeps no counts, and a tokenized `sft.jsonl` exported as it is must keep them.
 * They are kept only when normalizing left messages and tools exactly as they were (else they are stale).
 * normalize is one-in, one-out, so each outcome belongs to the item pulled last.
 */
function keepingCounts(normalize: Stage<any, any>): Stage<unknown, unknown> {
  return {
    name: normalize.name,
    finish: normalize.finish ? () => normalize.finish!() : undefined,
    async *run(input, ctx) {
      let last: Record<string, unknown> | undefined;
      async function* tap(): AsyncGenerator<Keep<unknown>> {
        for await (const item of input) {
          last = isObject(item.value) ? item.value : undefined;
          yield item;
        }
      }
      for await (const o of normalize.run(tap(), ctx)) {
        const before = last;
        if (o.kind !== 'keep' || !before || before.n_tokens === undefined || !Conversation.safeParse(before).success) {
          yield o;
          continue;
        }
        const after = o.value as Conversation;
        const same = JSON.stringify([before.messages, before.tools ?? null]) === JSON.stringify([after.messages, after.tools ?? null]);
        if (!same) {
          yield o;
          continue;
        }
        const counts = Object.fromEntries(COUNT_FIELDS.filter((k) => before[k] !== undefined).map((k) => [k, before[k]]));
        yield keep(o.ref, { ...after, ...counts }, o.raw);
      }
    },
  };
}

/**
 * Export's record stages, built on convert's (normalize, validate, and the curation stages asked for):
 * conversations go through all of them; chatmill's own pairs and raw preference data go around them, the
 * raw ones through the pairs stage. One input may mix all three, so the choice is made per record.
 */
export function exportLanes(sftStages: Stage<any, any>[]): Stage<unknown, unknown>[] {
  const lanes = new WeakMap<object, Lane>();
  const recorded = (value: unknown) => (isObject(value) ? lanes.get(value) : undefined);
  // The first stage sees every record as read: it decides the lane once, and notes the format of the
  // pairs that no later stage looks at.
  const decide = (item: Keep<unknown>, ctx: StageContext): boolean => {
    const lane = laneOf(item.value);
    if (!lane) return false;
    lanes.set(item.value as object, lane);
    if (lane === 'pair') ctx.noteFormat(item.ref, String((item.value as { format: unknown }).format));
    return true;
  };
  const stages = sftStages.map((stage, i) => {
    const wrapped = stage.name === 'normalize' ? keepingCounts(stage) : stage;
    return bypassStage(wrapped, i === 0 ? decide : (item) => recorded(item.value) !== undefined);
  });
  return [...stages, bypassStage(pairsStage(), (item) => recorded(item.value) !== 'preference')];
}
