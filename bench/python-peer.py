"""The Python user's path, as the bench's third peer: load a JSONL of OpenAI `messages` records with
`datasets.load_dataset("json")`, then `Dataset.map` with `tokenizer.apply_chat_template(..., return_dict=True,
return_assistant_tokens_mask=True)` on `num_proc` processes (default: the number of cores). The tokenizer is the
same Llama 3.1 tokenizer.json with Hermes 3's ChatML tokens in the reserved slots, and a ChatML template whose
{% generation %} markers give axolotl's default masks (an assistant turn's content and <|im_end|> trained), so the
counts are chatmill's. Offline; map results are not cached between runs.

    python bench/python-peer.py CORPUS.jsonl TOKENIZER_JSON [NUM_PROC] [PER_RECORD.jsonl]

Prints one JSON line: records, tokens, response tokens, seconds for load, map and the whole script, and the CPU
seconds of load + map (this process and its map workers). With PER_RECORD.jsonl it also writes one line per record,
{"id", "tokens", "responseTokens"} in input order (after the timings are taken), so the bench can compare every
record's counts with chatmill's.
"""
import json
import os
import resource
import sys
import time

T0 = time.perf_counter()
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import datasets  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402
from transformers import PreTrainedTokenizerFast  # noqa: E402

CHATML_WITH_MASKS = (
    "{{- bos_token }}"
    "{%- for message in messages %}"
    "{%- if message['role'] == 'assistant' %}"
    "{{- '<|im_start|>assistant\\n' }}{% generation %}{{ message['content'] + '<|im_end|>' }}{% endgeneration %}{{ '\\n' }}"
    "{%- else %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
)
SLOTS = {"<|reserved_special_token_31|>": "<|im_start|>", "<|reserved_special_token_32|>": "<|im_end|>"}


def hermes3_tokenizer(path):
    with open(path, encoding="utf-8") as f:
        spec = json.load(f)
    for tok in spec["added_tokens"]:
        tok["content"] = SLOTS.get(tok["content"], tok["content"])
    tok = PreTrainedTokenizerFast(tokenizer_object=Tokenizer.from_str(json.dumps(spec)), bos_token="<|begin_of_text|>", eos_token="<|im_end|>", pad_token="<|end_of_text|>")
    tok.chat_template = CHATML_WITH_MASKS
    return tok


def main():
    corpus, tokenizer_json = sys.argv[1], sys.argv[2]
    num_proc = int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count()
    per_record = sys.argv[4] if len(sys.argv) > 4 else None
    datasets.disable_caching()
    tok = hermes3_tokenizer(tokenizer_json)
    t_import = time.perf_counter() - T0

    def encode(example):
        out = tok.apply_chat_template(example["messages"], tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
        return {"input_ids": out["input_ids"], "assistant_masks": out["assistant_masks"]}

    def cpu():
        return sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) for f in ("ru_utime", "ru_stime"))

    cpu0 = cpu()
    t = time.perf_counter()
    ds = datasets.load_dataset("json", data_files=corpus, split="train", keep_in_memory=True)
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    ids = ds["id"] if per_record and "id" in ds.column_names else None
    ds = ds.map(encode, num_proc=num_proc, remove_columns=ds.column_names, keep_in_memory=True)
    t_map = time.perf_counter() - t
    # The map's worker processes have exited by now, so RUSAGE_CHILDREN holds their CPU time.
    cpu_seconds = cpu() - cpu0
    tokens = sum(len(x) for x in ds["input_ids"])
    response = sum(sum(m) for m in ds["assistant_masks"])
    if per_record:
        with open(per_record, "w", encoding="utf-8") as f:
            for i, (input_ids, mask) in enumerate(zip(ds["input_ids"], ds["assistant_masks"])):
                f.write(json.dumps({"id": ids[i] if ids else None, "tokens": len(input_ids), "responseTokens": sum(mask)}) + "\n")
    print(json.dumps({"records": len(ds), "tokens": tokens, "responseTokens": response, "numProc": num_proc, "importSeconds": t_import, "loadSeconds": t_load, "mapSeconds": t_map, "cpuSeconds": cpu_seconds, "scriptSeconds": time.perf_counter() - T0}))


if __name__ == "__main__":
    main()
