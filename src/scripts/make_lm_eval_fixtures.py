#!/usr/bin/python3
"""Reference numbers for dev.amalgam.eval.lm (run with Debian's /usr/bin/python3, torch 1.13).

Loads the tiny GPT-2 fixture (fixtures/gpt2/tiny/model.safetensors) into the python forward pass of
src/scripts/make_model_fixtures.py and runs the sliding-window loop of Hugging Face's perplexity guide
(https://huggingface.co/docs/transformers/perplexity): labels masked to -100 outside the window's new
tokens, shifted by one inside the model. The loss is summed (reduction="sum") and the predicted tokens
counted exactly, i.e. mean NLL = sum of NLL over predicted tokens / count.

Writes fixtures/lm-eval/gpt2-perplexity.safetensors: ids [40] and, per case "w{window}_s{stride}",
nll_sum [1] (F32) and count [1] (I64).
"""
import json
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_model_fixtures as ref  # noqa: E402

CASES = [(16, 8), (12, 12), (12, 5), (32, 32), (32, 1)]


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", name
        a, b = info["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[a:b]), dtype=torch.float32).reshape(info["shape"])
    return out


def guide_perplexity(fwd, ids, max_length, stride):
    seq_len = ids.size(1)
    nll_sum, n_tokens, prev_end = 0.0, 0, 0
    for begin in range(0, seq_len, stride):
        end = min(begin + max_length, seq_len)
        trg_len = end - prev_end
        input_ids = ids[:, begin:end]
        target = input_ids.clone()
        target[:, :-trg_len] = -100
        logits = fwd(input_ids)
        shift_logits, shift_labels = logits[:, :-1, :], target[:, 1:]
        loss = torch.nn.functional.cross_entropy(shift_logits.reshape(-1, shift_logits.size(-1)).double(),
                                                 shift_labels.reshape(-1), ignore_index=-100, reduction="sum")
        nll_sum += loss.item()
        n_tokens += int((shift_labels != -100).sum())
        prev_end = end
        if end == seq_len:
            break
    return nll_sum, n_tokens


def main():
    torch.set_grad_enabled(False)
    d = os.path.join(ref.ROOT, "gpt2", "tiny")
    with open(os.path.join(d, "config.json")) as f:
        cfg = json.load(f)
    w = read_safetensors(os.path.join(d, "model.safetensors"))
    fwd = lambda x: ref.gpt2_forward(w, cfg, x)[1]
    gen = torch.Generator().manual_seed(21)
    ids = torch.randint(0, cfg["vocab_size"], (1, 40), generator=gen)
    out = {"ids": ids[0].clone()}
    for window, stride in CASES:
        s, n = guide_perplexity(fwd, ids, window, stride)
        out[f"w{window}_s{stride}.nll_sum"] = torch.tensor([s], dtype=torch.float32)
        out[f"w{window}_s{stride}.count"] = torch.tensor([n], dtype=torch.int64)
        print(f"window {window} stride {stride}: sum {s:.6f} count {n} ppl {torch.tensor(s / n).exp().item():.4f}")
    os.makedirs(os.path.join(ref.ROOT, "lm-eval"), exist_ok=True)
    ref.write_safetensors(os.path.join(ref.ROOT, "lm-eval", "gpt2-perplexity.safetensors"), out)


if __name__ == "__main__":
    main()
