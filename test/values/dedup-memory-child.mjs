// Child process for dedup-memory.test.ts (run with --expose-gc): feeds the built dedup stage `records`
// distinct records with ids of `idChars` characters, measures what stays allocated while the stage holds
// its state, then sends a duplicate of every 100th record and checks each drop names the original id.
const [records, idChars] = process.argv.slice(2).map(Number);
const { dedupStage } = await import(new URL('../../dist/src/stages/dedup.js', import.meta.url).href);

const idOf = (i) => {
  if (!idChars) return `record-${i}`;
  const b = Buffer.alloc(idChars, 'x'); // a fresh flat string per record, like ids read from a file
  b.write(String(i).padStart(12, '0'));
  return b.toString('latin1');
};
const messagesOf = (i) => [{ role: 'user', content: `question ${i}` }, { role: 'assistant', content: 'answer' }];
const allocated = () => {
  globalThis.gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

let before = 0;
let after = 0;
async function* items() {
  before = allocated();
  for (let i = 0; i < records; i++) yield { kind: 'keep', ref: { source: 's', index: i }, value: { id: idOf(i), messages: messagesOf(i) }, raw: '' };
  after = allocated();
  for (let i = 0; i < records; i += 100) yield { kind: 'keep', ref: { source: 's', index: records + i }, value: { id: 'dup', messages: messagesOf(i) }, raw: '' };
}
let kept = 0;
let wrongDuplicateOf = 0;
let drops = 0;
for await (const o of dedupStage().run(items(), { warn() {}, noteFormat() {} })) {
  if (o.kind === 'keep') kept++;
  else {
    drops++;
    if (o.duplicateOf !== idOf(o.ref.index - records)) wrongDuplicateOf++;
  }
}
process.stdout.write(JSON.stringify({ kept, drops, wrongDuplicateOf, retained: after - before }));
