/**
 * Records with media are rejected as multimodal_content, never kept with their media silently gone. The real
 * LLaMA-Factory examples are the multimodal records of its data README (image, video, audio): the media demo files
 * themselves (mllm_demo.json...) are not in ../shared/realdata.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatmill } from '../helpers/cli.js';
import { haveRealdata, real } from '../helpers/realdata.js';
import { tmp } from '../read/helpers.js';

describe('multimodal_content', () => {
  it('rejects media parts and media lists; text parts and plain "<image>" text without a list are kept', async () => {
    const dir = tmp();
    const path = join(dir, 'mm.jsonl');
    writeFileSync(path, [
      { messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] }, { role: 'assistant', content: 'A cat.' }] },
      { messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }, { role: 'assistant', content: 'Hello.' }] },
      { conversations: [{ from: 'human', value: '<image>Describe.' }, { from: 'gpt', value: 'A dog.' }], images: ['dog.png'] },
      { messages: [{ role: 'user', content: '<video>What happens?' }, { role: 'assistant', content: 'It rains.' }], videos: ['rain.mp4'] },
      { messages: [{ role: 'user', content: 'What does the HTML tag <image> do?' }, { role: 'assistant', content: 'It is an SVG element.' }] },
      { messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }, { role: 'assistant', content: 'Hello!' }] },
    ].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const rejects = join(dir, 'rejects.jsonl');
    const r = await chatmill(['validate', path, '--json', '--rejects', rejects]);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 6, kept: 2, rejected: 4, reasons: { multimodal_content: 4 } });
    const got = readFileSync(rejects, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((x) => [x.index, x.path]);
    expect(got).toEqual([[0, 'messages[0].content[1]'], [1, 'messages[0].content[0]'], [2, 'images'], [3, 'videos']]);
  });

  it.skipIf(!haveRealdata)('rejects the image, video and audio examples of the LLaMA-Factory data README', async () => {
    const readme = readFileSync(real('llamafactory/README.md'), 'utf8');
    // In the ShareGPT section, the first JSON block after each "### Multimodal ..." heading is an example dataset
    // (a list of records); the Alpaca section's multimodal headings only point to it.
    const sharegpt = readme.slice(readme.indexOf('## Sharegpt Format'));
    const examples = [...sharegpt.matchAll(/### Multimodal[^\n]*\n[\s\S]*?```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]) as unknown[]);
    expect(examples.length).toBe(3);
    const dir = tmp();
    const path = join(dir, 'llamafactory-mm.json');
    writeFileSync(path, JSON.stringify(examples.flat()));
    const s = JSON.parse((await chatmill(['validate', path, '--json'])).stdout);
    expect(s).toMatchObject({ read: 3, kept: 0, rejected: 3, reasons: { multimodal_content: 3 } });
  });
});
