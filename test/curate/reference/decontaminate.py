#!/usr/bin/env python3
"""Independent reference for test/curate/decontaminate.test.ts (written separately from src/curate, in Python
with the `regex` module): Tulu 3's rule on the real benchmark sets and real SFT files, read straight from their
original JSON (not through chatmill). Prints, per SFT file, how many records are contaminated and by what.

Rule: NFKC + lower case; tokens are runs of letters/digits/marks, except that characters of scripts written
without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) are one token each; punctuation, symbols
and whitespace separate tokens. An item with >= 8 tokens contaminates a record when more than 50% of its
distinct 8-grams occur among the record's user-turn 8-grams; a shorter item when its token sequence occurs
whole (contiguously) in the record's user-turn tokens; items under 3 tokens are not used. MMLU items are
question + choices.

usage: python3 decontaminate.py REALDATA_DIR
"""
import gzip, json, sys, unicodedata
import regex

NS = r'\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}'
TOKEN = regex.compile(rf'(?:(?![{NS}])[\p{{L}}\p{{N}}\p{{M}}])+|(?=[{NS}])[\p{{L}}\p{{N}}\p{{M}}]')

def tokens(s):
    return TOKEN.findall(unicodedata.normalize('NFKC', s).lower())

def grams(t, n=8):
    return {tuple(t[i:i + n]) for i in range(len(t) - n + 1)}

def load(path):
    op = gzip.open if path.endswith('.gz') else open
    with op(path, 'rt', encoding='utf-8') as f:
        text = f.read()
    if text.lstrip().startswith('['):
        return json.loads(text)
    return [json.loads(l) for l in text.splitlines() if l.strip()]

BENCH = ['alpaca_eval/example_outputs.json', 'arena-hard/v0.1_question.jsonl', 'gsm8k/test.jsonl',
         'humaneval/HumanEval.jsonl.gz', 'ifeval/input_data.jsonl', 'math/test.jsonl', 'math500/test.jsonl',
         'mmlu_stem/test.jsonl']
FIELDS = ['question', 'prompt', 'problem', 'instruction', 'input']

MIN_WORDS = 3  # items with fewer tokens are not used (chatmill's min_words default)

def item_text(r, field):
    # A multiple-choice item is its question and its choices (MMLU), one per line.
    if isinstance(r.get('choices'), list):
        return '\n'.join([r[field]] + r['choices'])
    return r[field]

def main(root):
    long_items, short_items, index = [], [], {}
    for b in BENCH:
        recs = load(f'{root}/benchmarks/{b}')
        field = next(k for k in FIELDS if isinstance(recs[0].get(k), str))
        for i, r in enumerate(recs):
            t = tokens(item_text(r, field))
            if len(t) >= 8:
                g = grams(t)
                k = len(long_items)
                long_items.append((b, i, g))
                for x in g:
                    index.setdefault(x, []).append(k)
            elif len(t) >= MIN_WORDS:
                short_items.append((b, i, ' ' + ' '.join(t) + ' '))
    print(f'items: {len(long_items)} long, {len(short_items)} short')

    def user_texts(path):
        recs = load(f'{root}/{path}')
        for r in recs:
            if 'instruction' in r:  # Alpaca: the user turn is instruction + "\n" + input
                yield r['instruction'] + ('\n' + r['input'] if r.get('input') else '')
            elif 'conversations' in r:  # ShareGPT
                yield '\n'.join(m['value'] for m in r['conversations'] if m['from'] in ('human', 'user'))
            else:  # OpenAI messages
                yield '\n'.join(m['content'] for m in r['messages'] if m['role'] == 'user' and isinstance(m.get('content'), str))

    for path in sys.argv[2:]:
        hits = []
        for ri, text in enumerate(user_texts(path)):
            t = tokens(text)
            g = grams(t)
            counts = {}
            for x in g:
                for k in index.get(x, ()):
                    counts[k] = counts.get(k, 0) + 1
            found = [(long_items[k][0], long_items[k][1], c / len(long_items[k][2])) for k, c in counts.items() if c / len(long_items[k][2]) > 0.5]
            joined = ' ' + ' '.join(t) + ' '
            found += [(b, i, 1.0) for b, i, s in short_items if s in joined]
            if found:
                hits.append((ri, sorted(found)))
        print(json.dumps({'file': path, 'contaminated': len(hits), 'records': hits}))

main(sys.argv[1])
