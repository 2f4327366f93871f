/**
 * Finds added tokens (`<|im_start|>`, ...) in text: at the leftmost position where one starts, the longest one
 * that starts there, as the Rust tokenizer's added vocabulary (leftmost-longest) and @huggingface/tokenizers'
 * DictionarySplitter do. Text without any token's first character is skipped with indexOf, so the common
 * case (prose between a few markers) costs a scan, not a trie walk per character.
 */

interface TrieNode {
  next: Map<number, TrieNode>;
  /** Id of the token that ends here, or -1. */
  id: number;
}

export class AddedTokenMatcher {
  private readonly root: TrieNode = { next: new Map(), id: -1 };
  /** The one first character of every token, when they share it (Llama 3: `<`). */
  private readonly onlyFirst: string | undefined;
  private readonly firsts = new Set<number>();
  /** The last match of find(). */
  start = 0;
  end = 0;
  id = -1;

  constructor(tokens: ReadonlyArray<{ content: string; id: number }>) {
    for (const t of tokens) {
      if (t.content.length === 0) continue;
      let node = this.root;
      for (let i = 0; i < t.content.length; i++) {
        const c = t.content.charCodeAt(i);
        let child = node.next.get(c);
        if (!child) node.next.set(c, (child = { next: new Map(), id: -1 }));
        node = child;
      }
      node.id = t.id;
      this.firsts.add(t.content.charCodeAt(0));
    }
    this.onlyFirst = this.firsts.size === 1 ? String.fromCharCode([...this.firsts][0]) : undefined;
  }

  get size(): number {
    return this.firsts.size;
  }

  private candidate(text: string, from: number): number {
    if (this.onlyFirst !== undefined) return text.indexOf(this.onlyFirst, from);
    for (let i = from; i < text.length; i++) if (this.firsts.has(text.charCodeAt(i))) return i;
    return -1;
  }

  /** The leftmost-longest token at or after `from` (into start/end/id); false when there is none. */
  find(text: string, from: number): boolean {
    const n = text.length;
    for (let i = this.candidate(text, from); i >= 0; i = this.candidate(text, i + 1)) {
      let node: TrieNode | undefined = this.root;
      let best = -1;
      let bestEnd = i;
      for (let j = i; j < n; j++) {
        node = node.next.get(text.charCodeAt(j));
        if (!node) break;
        if (node.id >= 0) {
          best = node.id;
          bestEnd = j + 1;
        }
      }
      if (best >= 0) {
        this.start = i;
        this.end = bestEnd;
        this.id = best;
        return true;
      }
    }
    return false;
  }
}
