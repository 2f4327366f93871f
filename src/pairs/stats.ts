import type { PreferencePair } from '../../schemas/preference.js';
import type { PairRecord } from './stage.js';

/** What `pairs --json` and the audit add about a DPO set. */
export interface PairStats {
  pairs: number;
  unpaired: number;
  by_source: Record<string, number>;
  /** Margins in unit-wide bins [min, max); pairs without scores are counted in `unscored`. */
  margin_histogram: Array<{ min: number; max: number; pairs: number }>;
  unscored: number;
  /** DPO learns "longer is better" when chosen is usually the longer side; these show the bias. */
  length_bias: {
    unit: 'tokens' | 'chars';
    chosen_longer_share: number;
    median_length_ratio: number;
  };
  tokens: { prompt: number; chosen: number; rejected: number };
}

const isPair = (r: PairRecord): r is PreferencePair => 'chosen' in r;
const chars = (ms: { content: string }[]) => ms.reduce((n, m) => n + m.content.length, 0);

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Accumulates statistics over the records a run emits. */
export class PairStatsCollector {
  private pairs = 0;
  private unpaired = 0;
  private readonly bySource = new Map<string, number>();
  private readonly bins = new Map<number, number>();
  private unscored = 0;
  private longer = 0;
  private readonly ratios: number[] = [];
  private allTokens = true;
  private readonly tokens = { prompt: 0, chosen: 0, rejected: 0 };
  private readonly charRatios: number[] = [];
  private charLonger = 0;

  add(r: PairRecord): void {
    this.bySource.set(r.source, (this.bySource.get(r.source) ?? 0) + 1);
    this.tokens.prompt += r.n_prompt_tokens ?? 0;
    if (!isPair(r)) {
      this.unpaired++;
      return;
    }
    this.pairs++;
    if (r.margin === null || r.margin === undefined) this.unscored++;
    else {
      const bin = Math.floor(r.margin);
      this.bins.set(bin, (this.bins.get(bin) ?? 0) + 1);
    }
    const c = chars(r.chosen);
    const j = chars(r.rejected);
    if (c > j) this.charLonger++;
    if (j > 0) this.charRatios.push(c / j);
    if (r.n_chosen_tokens === undefined || r.n_rejected_tokens === undefined) this.allTokens = false;
    else {
      this.tokens.chosen += r.n_chosen_tokens;
      this.tokens.rejected += r.n_rejected_tokens;
      if (r.n_chosen_tokens > r.n_rejected_tokens) this.longer++;
      if (r.n_rejected_tokens > 0) this.ratios.push(r.n_chosen_tokens / r.n_rejected_tokens);
    }
  }

  result(): PairStats {
    const useTokens = this.allTokens && this.pairs > 0;
    const by_source: Record<string, number> = {};
    for (const k of [...this.bySource.keys()].sort()) by_source[k] = this.bySource.get(k)!;
    return {
      pairs: this.pairs,
      unpaired: this.unpaired,
      by_source,
      margin_histogram: [...this.bins.keys()].sort((a, b) => a - b).map((b) => ({ min: b, max: b + 1, pairs: this.bins.get(b)! })),
      unscored: this.unscored,
      length_bias: {
        unit: useTokens ? 'tokens' : 'chars',
        chosen_longer_share: this.pairs ? (useTokens ? this.longer : this.charLonger) / this.pairs : 0,
        median_length_ratio: median(useTokens ? this.ratios : this.charRatios),
      },
      tokens: { ...this.tokens },
    };
  }
}
