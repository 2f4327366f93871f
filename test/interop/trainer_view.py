"""What the real Python stack (datasets, transformers, TRL) makes of chatmill's output.

Called by test/interop/*.test.ts with paths; prints one JSON object on stdout. Nothing here imports or
re-implements chatmill's counting: counts come from transformers' apply_chat_template and from the
datasets TRL's trainers build, and the tests compare them with the counts chatmill wrote.

    trainer_view.py load DATASET_DIR
        every config of the card: load_dataset(DATASET_DIR, config), rows, and whether the features
        equal the card's dataset_info
    trainer_view.py sft-counts TOKENIZER_JSON RECORDS.jsonl
        per record: len(input_ids) and sum(assistant_masks) from apply_chat_template
    trainer_view.py train sft|dpo|kto[,...] TOKENIZER_JSON DATASET_DIR
        SFTTrainer(assistant_only_loss), DPOTrainer and KTOTrainer, 2 steps each on the exported
        configs, with a tiny random Llama; per row id the lengths of the ids each trainer built
    trainer_view.py hermes3-tokenizer-dir TOOL_USE_JINJA TOKENIZER_JSON OUT_DIR
        a tokenizer folder whose tokenizer_config.json holds Hermes 3's two named templates: the real
        tool_use one (read from ../shared, not copied) and default
    trainer_view.py named-template-counts TOKENIZER_DIR RECORDS.jsonl [NAME]
        per record: counts from AutoTokenizer.from_pretrained(TOKENIZER_DIR), transformers choosing
        tool_use or default itself (generation markers added around the assistant turn)

TOKENIZER_JSON is the Llama 3.1/3.2 tokenizer.json chatmill's hermes3 preset starts from; the ChatML
tokens are put into the two reserved slots Hermes 3 uses (<|reserved_special_token_31|> and _32|>).
"""

import contextlib
import json
import os
import sys
import tempfile

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("WANDB_DISABLED", "true")

# Hermes ChatML with tools in the system turn, as chatmill renders it (src/chatml/render.ts and
# src/chatml/tools-prompt.ts): the tools block is chatmill's own wording, so the template must repeat it
# for the token counts of records with tools to be comparable. Each tool is JSON without spaces
# (JavaScript's JSON.stringify). Structured tool calls are written as Hermes text the way the Hermes convention
# has them: after the turn's text, one `<tool_call>` block per call, `{"name": ..., "arguments": ...}` with the
# arguments string as exported (json.dumps spacing) or an object through tojson (json.dumps too); a tool turn with
# a `name` as `<tool_response>` around `{"name": ..., "content": ...}`, its content JSON as stored when it is a
# JSON object or list (chatmill stores those in json.dumps spacing), else a JSON string. The {% generation %} markers encode axolotl's default masks
# (train_on_eos: turn): an assistant turn's content plus its <|im_end|> are trained; BOS, role headers,
# the newline after <|im_end|> and every other turn are not.
CHATML_TOOLS_TEMPLATE = (
    "{{- bos_token }}"
    "{%- set ns = namespace(rest=messages, sys=none) %}"
    "{%- if tools %}"
    "{%- set tb = namespace(text='You are a function-calling assistant. The functions you may call are described as JSON signatures inside <tools></tools> XML tags.\\n"
    "Call a function only when it helps with the request, and never invent argument values.\\n<tools>\\n') %}"
    "{%- for t in tools %}{%- set tb.text = tb.text + (t | tojson(separators=(',', ':'))) + ('\\n' if not loop.last else '') %}{%- endfor %}"
    "{%- set tb.text = tb.text + '\\n</tools>\\nTo call a function, answer with a JSON object holding \"name\" and \"arguments\" inside <tool_call></tool_call> tags:\\n"
    "<tool_call>\\n{\"name\": <function-name>, \"arguments\": <args-object>}\\n</tool_call>\\n"
    "Function results come back to you inside <tool_response></tool_response> tags.' %}"
    "{%- if messages and messages[0]['role'] == 'system' %}"
    "{%- set ns.rest = messages[1:] %}"
    "{%- if '<tools>' in messages[0]['content'] %}{%- set ns.sys = messages[0]['content'] %}"
    "{%- elif messages[0]['content'] | length > 0 %}{%- set ns.sys = messages[0]['content'] + '\\n\\n' + tb.text %}"
    "{%- else %}{%- set ns.sys = tb.text %}{%- endif %}"
    "{%- else %}{%- set ns.sys = tb.text %}{%- endif %}"
    "{{- '<|im_start|>system\\n' + ns.sys + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- for message in ns.rest %}"
    "{%- set turn = namespace(text=message['content']) %}"
    "{%- if message['role'] == 'assistant' and message.tool_calls is defined and message.tool_calls %}"
    "{%- for call in message.tool_calls %}"
    "{%- set args = call.function.arguments if call.function.arguments is string else (call.function.arguments | tojson) %}"
    "{%- set block = '<tool_call>\\n{\"name\": ' + (call.function.name | tojson) + ', \"arguments\": ' + args + '}\\n</tool_call>' %}"
    "{%- set turn.text = (turn.text + '\\n' + block) if turn.text else block %}"
    "{%- endfor %}"
    "{%- elif message['role'] == 'tool' and message.name is defined and message.name %}"
    "{%- set out = message['content'] if message['content'][:1] in ['{', '['] else (message['content'] | tojson) %}"
    "{%- set turn.text = '<tool_response>\\n{\"name\": ' + (message.name | tojson) + ', \"content\": ' + out + '}\\n</tool_response>' %}"
    "{%- endif %}"
    "{%- if message['role'] == 'assistant' %}"
    "{{- '<|im_start|>assistant\\n' }}{% generation %}{{ turn.text + '<|im_end|>' }}{% endgeneration %}{{ '\\n' }}"
    "{%- else %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + turn.text + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)

IM_SLOTS = {"<|reserved_special_token_31|>": "<|im_start|>", "<|reserved_special_token_32|>": "<|im_end|>"}


def build_tokenizer(tokenizer_json, chat_template=CHATML_TOOLS_TEMPLATE):
    from tokenizers import Tokenizer
    from transformers import PreTrainedTokenizerFast

    with open(tokenizer_json, encoding="utf-8") as f:
        spec = json.load(f)
    renamed = 0
    for tok in spec.get("added_tokens", []):
        if tok["content"] in IM_SLOTS:
            tok["content"] = IM_SLOTS[tok["content"]]
            renamed += 1
    if renamed != 2:
        raise SystemExit(f"{tokenizer_json}: expected the two reserved ChatML slots, renamed {renamed}")
    tok = PreTrainedTokenizerFast(
        tokenizer_object=Tokenizer.from_str(json.dumps(spec)),
        bos_token="<|begin_of_text|>",
        eos_token="<|im_end|>",
        pad_token="<|end_of_text|>",
    )
    tok.chat_template = chat_template
    return tok


def parse_tools(tools):
    if tools is None:
        return None
    tools = json.loads(tools) if isinstance(tools, str) else tools
    return tools or None


def plain_messages(messages):
    """The turns as a record or the exported dataset holds them: role, content and, for tool calls, tool_calls /
    name / tool_call_id. Keys a turn does not have stay absent, as the exported JSON turns have them."""
    keep = ("role", "content", "tool_calls", "name", "tool_call_id")
    return [{k: m[k] for k in keep if k in m and m[k] is not None} for m in messages]


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def cmd_load(dataset_dir):
    import datasets
    import yaml

    with open(os.path.join(dataset_dir, "README.md"), encoding="utf-8") as f:
        text = f.read()
    if not text.startswith("---\n"):
        raise SystemExit("card has no YAML front matter")
    front = yaml.safe_load(text[4 : text.index("\n---", 4)])
    infos = {c["config_name"]: c for c in front.get("dataset_info", [])}
    out = {"configs": {}}
    for cfg in front["configs"]:
        name = cfg["config_name"]
        ds = datasets.load_dataset(dataset_dir, name, split="train")
        card_features = datasets.Features._from_yaml_list(infos[name]["features"])
        out["configs"][name] = {
            "rows": ds.num_rows,
            "card_rows": sum(s["num_examples"] for s in infos[name].get("splits", [])),
            "features_equal": ds.features == card_features,
            "features": ds.features.to_dict(),
            "card_features": card_features.to_dict(),
            "columns": ds.column_names,
        }
    return out


def cmd_sft_counts(tokenizer_json, records_path):
    tok = build_tokenizer(tokenizer_json)
    out = []
    for r in read_jsonl(records_path):
        enc = tok.apply_chat_template(
            plain_messages(r["messages"]),
            tools=parse_tools(r.get("tools")),
            tokenize=True,
            return_dict=True,
            return_assistant_tokens_mask=True,
        )
        out.append([r["id"], len(enc["input_ids"]), int(sum(enc["assistant_masks"]))])
    return {"records": out}


def tiny_llama(vocab_size):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    torch.set_num_threads(1)
    config = LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        max_position_embeddings=16384,
        tie_word_embeddings=True,
    )
    return LlamaForCausalLM(config)


def common_args(out_dir):
    return dict(
        output_dir=out_dir,
        max_steps=2,
        per_device_train_batch_size=2,
        gradient_accumulation_steps=1,
        learning_rate=1e-4,
        report_to="none",
        save_strategy="no",
        logging_steps=1,
        use_cpu=True,
        dataloader_num_workers=0,
        bf16=False,
        fp16=False,
        max_length=None,
        seed=0,
    )


def train_sft(tok, dataset_dir, tmp):
    import datasets
    from trl import SFTConfig, SFTTrainer

    trainer = SFTTrainer(
        model=tiny_llama(len(tok)),
        args=SFTConfig(**common_args(tmp), assistant_only_loss=True, packing=False),
        train_dataset=datasets.load_dataset(dataset_dir, "sft", split="train"),
        processing_class=tok,
    )
    result = trainer.train()
    ds = trainer.train_dataset
    return {
        "steps": result.global_step,
        "loss": result.training_loss,
        # TRL folds assistant_masks into labels (-100 where the mask is 0) and drops the mask column.
        "rows": [[i, len(ids), sum(1 for x in lab if x != -100)] for i, ids, lab in zip(ds["id"], ds["input_ids"], ds["labels"])],
    }


def train_dpo(tok, dataset_dir, tmp):
    import datasets
    from trl import DPOConfig, DPOTrainer

    trainer = DPOTrainer(
        model=tiny_llama(len(tok)),
        ref_model=tiny_llama(len(tok)),
        args=DPOConfig(**common_args(tmp)),
        train_dataset=datasets.load_dataset(dataset_dir, "dpo", split="train"),
        processing_class=tok,
    )
    result = trainer.train()
    ds = trainer.train_dataset
    return {
        "steps": result.global_step,
        "loss": result.training_loss,
        "rows": [[i, len(p), len(c), len(r)] for i, p, c, r in zip(ds["id"], ds["prompt_ids"], ds["chosen_ids"], ds["rejected_ids"])],
    }


def train_kto(tok, dataset_dir, tmp):
    import datasets
    from trl import KTOConfig, KTOTrainer

    trainer = KTOTrainer(
        model=tiny_llama(len(tok)),
        ref_model=tiny_llama(len(tok)),
        args=KTOConfig(**common_args(tmp)),
        train_dataset=datasets.load_dataset(dataset_dir, "dpo_kto", split="train"),
        processing_class=tok,
    )
    result = trainer.train()
    ds = trainer.train_dataset
    return {
        "steps": result.global_step,
        "loss": result.training_loss,
        "rows": [[i, len(p), len(c)] for i, p, c in zip(ds["id"], ds["prompt_ids"], ds["completion_ids"])],
    }


TRAINERS = {"sft": train_sft, "dpo": train_dpo, "kto": train_kto}


def cmd_train(which, tokenizer_json, dataset_dir):
    """`which`: sft, dpo, kto, or several joined by commas."""
    tok = build_tokenizer(tokenizer_json)
    out = {"vocab_size": len(tok)}
    for name in which.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            out[name] = TRAINERS[name](tok, dataset_dir, tmp)
    return out


# Hermes 3's `default` template as the issue and ../shared/realdata/MANIFEST.md describe it (BOS, a system turn
# "You are a helpful assistant." when the conversation has none, then ChatML turns). The real file is not
# in ../shared; this is a reconstruction from that description, used for the default-vs-tool_use choice.
HERMES3_DEFAULT = (
    "{{bos_token}}{% for message in messages %}"
    "{% if loop.first and messages[0]['role'] != 'system' %}{{'<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n'}}{% endif %}"
    "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

# Each template's plain ChatML turn, and the same turn with {% generation %} markers around an assistant's
# content + <|im_end|> (axolotl's default mask). Only the assistant case changes; the ids must not.
TURNS = {
    "tool_use": "{{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>' + '\n' }}",
    "default": "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}",
}


def replace_once(name, template, old, new):
    if template.count(old) != 1:
        raise SystemExit(f"{name}: {old!r} was not found exactly once")
    return template.replace(old, new)


def mark_generation(name, template):
    turn = TURNS[name]
    marked = (
        "{%- if message['role'] == 'assistant' %}"
        "{{- '<|im_start|>assistant\n' }}{% generation %}{{ message['content'] + '<|im_end|>' }}{% endgeneration %}{{ '\n' }}"
        "{%- else %}" + turn + "{%- endif %}"
    )
    template = replace_once(name, template, turn, marked)
    if name == "tool_use":
        # The assistant turn with tool_calls: `<|im_start|>assistant`, then per call "\n<tool_call>\n...</tool_call>",
        # then `<|im_end|>\n`. Marked as axolotl trains a turn: the calls and <|im_end|>, not the header and its "\n".
        # The rendered text stays the same (checked below on the ids).
        template = replace_once(name, template, "{{- '<|im_start|>' + message.role }}", "{{- '<|im_start|>' + message.role + '\n' }}{% generation %}")
        template = replace_once(name, template, "{{- '\n<tool_call>\n' }}", "{{- ('' if loop.first else '\n') + '<tool_call>\n' }}")
        template = replace_once(name, template, "{{- '<|im_end|>\n' }}\n    {%- elif message.role == \"tool\" %}", "{{- '<|im_end|>' }}{% endgeneration %}{{- '\n' }}\n    {%- elif message.role == \"tool\" %}")
    return template


def cmd_hermes3_tokenizer_dir(tool_use_jinja, tokenizer_json, out_dir):
    """Write OUT_DIR/tokenizer.json and tokenizer_config.json: Hermes 3's ChatML tokens and its two named templates."""
    with open(tool_use_jinja, encoding="utf-8") as f:
        tool_use = f.read()
    tok = build_tokenizer(tokenizer_json)
    tok.chat_template = {"default": HERMES3_DEFAULT, "tool_use": tool_use}
    tok.save_pretrained(out_dir)
    with open(os.path.join(out_dir, "tokenizer_config.json"), encoding="utf-8") as f:
        config = json.load(f)
    # transformers 5 writes templates to chat_template.jinja and additional_chat_templates/; Hermes 3 ships
    # them as a list in tokenizer_config.json, so write that form (transformers reads it back as a dict).
    import shutil

    os.remove(os.path.join(out_dir, "chat_template.jinja"))
    shutil.rmtree(os.path.join(out_dir, "additional_chat_templates"))
    config["chat_template"] = [{"name": "default", "template": HERMES3_DEFAULT}, {"name": "tool_use", "template": tool_use}]
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, ensure_ascii=False, indent=2)
    return {"dir": out_dir, "files": sorted(os.listdir(out_dir))}


def cmd_named_template_counts(tokenizer_dir, records_path, name=None):
    """Counts as transformers gives them with a tokenizer that has named templates: it picks tool_use when
    tools are given, default otherwise; NAME forces one (apply_chat_template(chat_template=NAME))."""
    from transformers import AutoTokenizer

    plain = AutoTokenizer.from_pretrained(tokenizer_dir)
    templates = plain.chat_template
    if not isinstance(templates, dict) or sorted(templates) != ["default", "tool_use"]:
        raise SystemExit(f"expected the named templates default and tool_use, got {type(templates).__name__}")
    marked = AutoTokenizer.from_pretrained(tokenizer_dir)
    marked.chat_template = {name: mark_generation(name, t) for name, t in templates.items()}
    out = []
    for r in read_jsonl(records_path):
        tools = parse_tools(r.get("tools"))
        msgs = plain_messages(r["messages"])
        kw = {"chat_template": name} if name else {}
        enc = marked.apply_chat_template(msgs, tools=tools, tokenize=True, return_dict=True, return_assistant_tokens_mask=True, **kw)
        ids = plain.apply_chat_template(msgs, tools=tools, tokenize=True, return_dict=True, **kw)["input_ids"]
        if list(ids) != list(enc["input_ids"]):
            raise SystemExit(f"{r['id']}: generation markers changed the rendered ids")
        out.append([r["id"], len(ids), int(sum(enc["assistant_masks"]))])
    return {"records": out}


def main(argv):
    cmd, args = argv[1], argv[2:]
    fn = {
        "load": cmd_load,
        "sft-counts": cmd_sft_counts,
        "train": cmd_train,
        "hermes3-tokenizer-dir": cmd_hermes3_tokenizer_dir,
        "named-template-counts": cmd_named_template_counts,
    }.get(cmd)
    if fn is None:
        raise SystemExit(f"unknown command {cmd}")
    real_stdout = sys.stdout
    with contextlib.redirect_stdout(sys.stderr):  # progress and log lines go to stderr; stdout is the JSON only
        result = fn(*args)
    real_stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv)
