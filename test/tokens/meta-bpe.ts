import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REALDATA } from './helpers.js';

/**
 * An independent reference for base-vocabulary ids: Meta's own tokenizer.model (tiktoken format: base64
 * bytes + rank per line) with a plain rank-greedy byte-pair merge, as tiktoken does, and the split
 * pattern Meta documents for Llama 3 (cl100k's). Written from the format, not from our code.
 */
let ranks: Map<string, number> | undefined;
function loadRanks(): Map<string, number> {
  if (ranks) return ranks;
  ranks = new Map();
  const text = readFileSync(join(REALDATA, 'tokenizers/meta-llama-llama-models/llama3_tokenizer.model'), 'utf8');
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [b64, rank] = line.split(' ');
    ranks.set(Buffer.from(b64, 'base64').toString('latin1'), Number(rank));
  }
  return ranks;
}

// cl100k pattern; JS has no inline (?i:), so the contractions spell out both cases.
const SPLIT =
  /'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

function bpe(piece: string, r: Map<string, number>): number[] {
  let parts = Array.from(Buffer.from(piece, 'utf8')).map((b) => String.fromCharCode(b));
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i < parts.length - 1; i++) {
      const rank = r.get(parts[i] + parts[i + 1]);
      if (rank !== undefined && rank < bestRank) {
        bestRank = rank;
        best = i;
      }
    }
    if (best < 0) break;
    parts = [...parts.slice(0, best), parts[best] + parts[best + 1], ...parts.slice(best + 2)];
  }
  return parts.map((p) => r.get(p)!);
}

/** Ids of plain text (no special tokens) by Meta's ranks. */
export function metaIds(text: string): number[] {
  const r = loadRanks();
  return (text.match(SPLIT) ?? []).flatMap((piece) => bpe(piece, r));
}
