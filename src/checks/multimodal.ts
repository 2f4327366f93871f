import type { Conversation } from '../../schemas/chatml.js';

/**
 * chatmill prepares text-only data. A record that carries media (LLaMA-Factory's `images`/`audios`/`videos`
 * lists, which go with `<image>`/`<audio>`/`<video>` placeholders in its turns) would train on placeholders with
 * the media silently gone, so it is rejected as `multimodal_content`. Media content parts are caught where
 * parts are read (src/formats/content.ts).
 */
const MEDIA_LISTS = ['images', 'audios', 'videos'] as const;
const PLACEHOLDER = /<(image|audio|video)>/;

export function multimodalProblem(c: Pick<Conversation, 'messages' | 'meta'>): { message: string; path: string } | undefined {
  const meta = c.meta;
  if (!meta) return undefined;
  for (const key of MEDIA_LISTS) {
    const list = Object.hasOwn(meta, key) ? meta[key] : undefined;
    if (!(Array.isArray(list) ? list.length > 0 : typeof list === 'string' && list !== '')) continue;
    const turn = c.messages.findIndex((m) => PLACEHOLDER.test(m.content));
    const where = turn >= 0 ? `; messages[${turn}] holds a ${PLACEHOLDER.exec(c.messages[turn].content)![0]} placeholder` : '';
    return { message: `the record carries ${key} (${Array.isArray(list) ? `${list.length} item(s)` : 'one'})${where}: chatmill prepares text-only data`, path: key };
  }
  return undefined;
}

/** Content part types that hold media rather than text. */
export const MEDIA_PART = /^(input_)?(image|audio|video)(_url|_file)?$|^(image|audio|video)_base64$/;
