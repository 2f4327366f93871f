// Deterministic synthetic Hermes-like SFT corpus for the benchmark: JSONL, mostly OpenAI `messages`, some ShareGPT,
// categories weighted like the Hermes 3 mixture, tool calls, code, math, some CJK, a few duplicates and bad records.
// Words follow a Zipf law over an English base list plus a steady trickle of new words (Heaps' law), so the
// pre-token cache sees roughly what natural text gives it, not a flattering handful of strings.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export const SEED = 20240815;

export function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE = `the of and to a in is it you that he was for on are with as his they be at one have this from or had by
word but what some we can out other were all there when up use your how said an each she which do their time if will way
about many then them write would like so these her long make thing see him two has look more day could go come did number
sound no most people my over know water than call first who may down side been now find any new work part take get place
made live where after back little only round man year came show every good me give our under name very through just form
sentence great think say help low line differ turn cause much mean before move right boy old too same tell does set three
want air well also play small end put home read hand port large spell add even land here must big high such follow act why
ask men change went light kind off need house picture try us again animal point mother world near build self earth father
head stand own page should country found answer school grow study still learn plant cover food sun four between state keep
eye never last let thought city tree cross farm hard start might story saw far sea draw left late run while press close
night real life few north open seem together next white children begin got walk example ease paper group always music those
both mark often letter until mile river car feet care second book carry took science eat room friend began idea fish
mountain stop once base hear horse cut sure watch color face wood main enough plain girl usual young ready above ever red
list though feel talk bird soon body dog family direct pose leave song measure door product black short numeral class wind
question happen complete ship area half rock order fire south problem piece told knew pass since top whole king space heard
best hour better true during hundred five remember step early hold west ground interest reach fast verb sing listen six
table travel less morning ten simple several vowel toward war lay against pattern slow center love person money serve
appear road map rain rule govern pull cold notice voice unit power town fine certain fly fall lead cry dark machine note
wait plan figure star box noun field rest correct able pound done beauty drive stood contain front teach week final gave
green quick develop ocean warm free minute strong special mind behind clear tail produce fact street inch multiply nothing
course stay wheel full force blue object decide surface deep moon island foot system busy test record boat common gold
possible plane stead dry wonder laugh thousand ago ran check game shape equate hot miss brought heat snow tire bring yes
distant fill east paint language among model data training function return value error result server request user file
network memory process thread compute analysis research method theory market policy health energy history culture design`.split(/\s+/);
const SUFFIX = ['', '', '', 's', 'ed', 'ing', 'ly', 'er', 'ness', 'able'];
const SYL = ['ka', 'lo', 'mi', 'tren', 'vor', 'ax', 'ul', 'zen', 'qui', 'por', 'sta', 'ble', 'dra', 'fin', 'gor', 'hul'];
const CJK = '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持音跑形片'.split('');
const TOOLS = ['get_weather', 'search_web', 'get_stock_price', 'convert_currency', 'book_table', 'send_email', 'lookup_order', 'translate_text'];
// Hermes 3 mixture shares (technical report, Table 1), used as record weights.
const CATEGORIES = [['general', 0.55], ['domain_expert', 0.13], ['math', 0.07], ['roleplay', 0.07], ['coding', 0.06], ['tool_use', 0.05], ['content_generation', 0.04], ['steering', 0.03]];

export function makeGenerator(seed = SEED) {
  const r = prng(seed);
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = (a) => a[Math.floor(r() * a.length)];
  // Zipf over base words × suffixes: rank k has weight 1/k; sampled by inverting the harmonic CDF approximately.
  const forms = [];
  for (const s of SUFFIX) for (const w of BASE) forms.push(w + s);
  const zipf = () => forms[Math.min(forms.length - 1, Math.floor(Math.exp(r() * Math.log(forms.length + 1))) - 1)];
  const novel = () => Array.from({ length: int(2, 4) }, () => pick(SYL)).join('') + (r() < 0.3 ? String(int(0, 999)) : '');
  const word = () => {
    const x = r();
    if (x < 0.012) return novel();
    if (x < 0.03) return String(int(0, x < 0.02 ? 100 : 99999));
    return zipf();
  };
  const sentence = () => {
    const n = int(5, 22);
    const ws = Array.from({ length: n }, word);
    ws[0] = ws[0][0].toUpperCase() + ws[0].slice(1);
    for (let i = 2; i < n - 1; i++) if (r() < 0.07) ws[i] += ',';
    return ws.join(' ') + pick(['.', '.', '.', '?', '!', ':']);
  };
  const prose = (words) => {
    const out = [];
    let n = 0;
    while (n < words) {
      const p = [];
      for (let i = int(2, 6); i > 0 && n < words; i--) {
        const s = sentence();
        n += s.split(' ').length;
        p.push(s);
      }
      out.push(r() < 0.15 ? `- ${p.join(' ')}` : p.join(' '));
    }
    return out.join('\n\n');
  };
  const cjk = (chars) => {
    let s = '';
    for (let i = 0; i < chars; i++) s += r() < 0.08 ? pick(['，', '。', '、']) : pick(CJK);
    return `${s}。`;
  };
  const ident = () => `${pick(forms).replace(/[^a-z]/g, '')}_${pick(forms).replace(/[^a-z]/g, '')}`;
  const code = (lines) => {
    const fn = ident();
    const body = Array.from({ length: lines }, () => `    ${ident()} = ${ident()}(${ident()}, ${int(0, 512)})`).join('\n');
    return `\`\`\`python\ndef ${fn}(${ident()}, ${ident()}=None):\n    """${sentence()}"""\n${body}\n    return ${ident()}\n\`\`\``;
  };
  const mathText = () => `Let $x = ${int(2, 99)}$ and $y = ${int(2, 99)}$. Then $x^2 + ${int(1, 9)}xy = ${int(100, 99999)}$, so \\frac{x}{y} \\approx ${r().toFixed(4)}.`;
  // Reply length in words: log-normal, median ~130 words, long tail (a few records pass 8192 tokens).
  const replyWords = () => Math.min(9000, Math.round(Math.exp(Math.log(130) + 0.95 * gauss())));
  function gauss() {
    return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  }
  const category = () => {
    let x = r();
    for (const [c, w] of CATEGORIES) if ((x -= w) < 0) return c;
    return 'general';
  };

  function reply(cat) {
    const words = replyWords();
    if (cat === 'coding') return `${prose(Math.round(words / 3))}\n\n${code(int(3, 30))}\n\n${prose(Math.round(words / 4))}`;
    if (cat === 'math') return `${mathText()} ${prose(Math.round(words / 2))} ${mathText()}`;
    return prose(words);
  }

  function toolRecord(system) {
    const tools = Array.from({ length: int(1, 3) }, () => pick(TOOLS)).filter((t, i, a) => a.indexOf(t) === i);
    const schemas = tools.map((name) => ({ type: 'function', function: { name, description: sentence(), parameters: { type: 'object', properties: { query: { type: 'string', description: sentence() }, limit: { type: 'integer' } }, required: ['query'] } } }));
    const name = tools[0];
    const args = JSON.stringify({ query: `${word()} ${word()}`, limit: int(1, 20) });
    const messages = [...system, { role: 'user', content: sentence() }, { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name, arguments: args } }] }];
    messages.push({ role: 'tool', tool_call_id: 'call_1', content: JSON.stringify({ result: prose(int(10, 80)), score: Number(r().toFixed(3)) }) });
    messages.push({ role: 'assistant', content: prose(int(20, 200)) });
    return { messages, tools: schemas };
  }

  /** The i-th record as a JSON line (records depend only on the seed and on the order they are asked for). */
  return function record(i) {
    const cat = category();
    const system = r() < 0.45 ? [{ role: 'system', content: cat === 'roleplay' ? `You are ${novel()}, ${sentence()}` : sentence() }] : [];
    let rec;
    if (cat === 'tool_use') rec = toolRecord(system);
    else {
      const turns = cat === 'roleplay' ? int(2, 8) : r() < 0.75 ? 1 : int(2, 4);
      const messages = [...system];
      const zh = r() < 0.03;
      for (let t = 0; t < turns; t++) {
        messages.push({ role: 'user', content: zh ? cjk(int(10, 80)) : r() < 0.3 ? prose(int(30, 200)) : sentence() });
        messages.push({ role: 'assistant', content: zh ? cjk(int(50, 800)) : reply(cat) });
      }
      rec = { messages };
    }
    if (r() < 0.002) rec.messages[rec.messages.length - 1].content = ''; // a bad record: empty final reply
    if (cat !== 'tool_use' && r() < 0.2) {
      const from = { system: 'system', user: 'human', assistant: 'gpt' };
      return JSON.stringify({ id: `bench-${i}`, category: cat, conversations: rec.messages.map((m) => ({ from: from[m.role], value: m.content })) });
    }
    return JSON.stringify({ id: `bench-${i}`, category: cat, ...rec });
  };
}

/** Write `records` lines to `path`; every 200th record is repeated later as an exact duplicate (same messages). */
export async function writeCorpus(path, records, seed = SEED) {
  const next = makeGenerator(seed);
  const out = createWriteStream(path);
  let bytes = 0;
  let prev = '';
  for (let i = 0; i < records; i++) {
    let line = next(i);
    if (i % 200 === 199) line = prev.replace(/"id":"bench-\d+"/, `"id":"bench-${i}"`);
    if (i % 200 === 7) prev = line;
    bytes += Buffer.byteLength(line) + 1;
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { records, bytes };
}
