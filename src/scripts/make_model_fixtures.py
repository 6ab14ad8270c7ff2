#!/usr/bin/python3
"""Tiny random-weight fixtures for Amalgam's CLIP / GPT-2 / Llama-family Java blocks.

REFERENCE WRITTEN AGAINST python3-torch (Debian, torch 1.13) FOLLOWING HF MODELING CODE
(transformers modeling_clip.py, modeling_gpt2.py, modeling_llama.py / modeling_qwen2.py), to be
replaced by HF-produced fixtures when transformers is available.  This is our own straightforward
re-implementation, written from the published model definitions; it is independent of the Java code.

Writes, per case, into src/testdata/fixtures/<arch>/<case>/:
  config.json          HF-style config
  model.safetensors    weights in HF state-dict layout (own safetensors writer below)
  expected.safetensors inputs and reference outputs
(CLIP also gets openclip.safetensors: the same weights in OpenCLIP layout.)

Run: /usr/bin/python3 src/scripts/make_model_fixtures.py   (deterministic: fixed seeds)
"""
import json
import math
import os
import struct

import torch
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "fixtures")
DTYPES = {torch.float32: "F32", torch.int64: "I64"}


# ---------------------------------------------------------------- safetensors writer
def write_safetensors(path, tensors):
    header = {"__metadata__": {"format": "pt"}}
    blobs, offset = [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous()
        data = t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def save_case(arch, case, config, weights, expected, extra=None):
    d = os.path.join(ROOT, arch, case)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write("\n")
    write_safetensors(os.path.join(d, "model.safetensors"), weights)
    write_safetensors(os.path.join(d, "expected.safetensors"), expected)
    for fname, tensors in (extra or {}).items():
        write_safetensors(os.path.join(d, fname), tensors)
    print("wrote", d)


def rnd(gen, *shape, std=0.2):
    return torch.randn(*shape, generator=gen) * std


def ln_params(gen, w, prefix, n):
    w[prefix + ".weight"] = 1.0 + rnd(gen, n, std=0.1)
    w[prefix + ".bias"] = rnd(gen, n, std=0.1)


def layer_norm(x, w, prefix, eps):
    return F.layer_norm(x, (x.shape[-1],), w[prefix + ".weight"], w[prefix + ".bias"], eps)


def linear(x, w, prefix, bias=True):
    return F.linear(x, w[prefix + ".weight"], w.get(prefix + ".bias") if bias else None)


def min_top2_margin(logits):
    top = logits.topk(2, dim=-1).values
    return float((top[..., 0] - top[..., 1]).min())


# ---------------------------------------------------------------- CLIP (modeling_clip)
def clip_act(name, x):
    if name == "quick_gelu":
        return x * torch.sigmoid(1.702 * x)
    if name == "gelu":
        return F.gelu(x)
    if name == "gelu_new":
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))
    raise ValueError(name)


def clip_layer_weights(gen, w, prefix, h, inter):
    for p in ("q_proj", "k_proj", "v_proj", "out_proj"):
        w[f"{prefix}.self_attn.{p}.weight"] = rnd(gen, h, h)
        w[f"{prefix}.self_attn.{p}.bias"] = rnd(gen, h, std=0.05)
    ln_params(gen, w, prefix + ".layer_norm1", h)
    ln_params(gen, w, prefix + ".layer_norm2", h)
    w[prefix + ".mlp.fc1.weight"] = rnd(gen, inter, h)
    w[prefix + ".mlp.fc1.bias"] = rnd(gen, inter, std=0.05)
    w[prefix + ".mlp.fc2.weight"] = rnd(gen, h, inter)
    w[prefix + ".mlp.fc2.bias"] = rnd(gen, h, std=0.05)


def clip_attention(w, prefix, x, heads, mask):
    b, t, h = x.shape
    hd = h // heads
    q = linear(x, w, prefix + ".q_proj") * hd ** -0.5
    k = linear(x, w, prefix + ".k_proj")
    v = linear(x, w, prefix + ".v_proj")
    q, k, v = (a.view(b, t, heads, hd).transpose(1, 2) for a in (q, k, v))
    scores = q @ k.transpose(-1, -2)
    if mask is not None:
        scores = scores + mask
    probs = scores.softmax(-1)
    out = (probs @ v).transpose(1, 2).reshape(b, t, h)
    return linear(out, w, prefix + ".out_proj")


def clip_encoder(w, prefix, x, cfg, mask):
    for i in range(cfg["num_hidden_layers"]):
        p = f"{prefix}.layers.{i}"
        r = x
        x = layer_norm(x, w, p + ".layer_norm1", cfg["layer_norm_eps"])
        x = r + clip_attention(w, p + ".self_attn", x, cfg["num_attention_heads"], mask)
        r = x
        x = layer_norm(x, w, p + ".layer_norm2", cfg["layer_norm_eps"])
        x = linear(clip_act(cfg["hidden_act"], linear(x, w, p + ".mlp.fc1")), w, p + ".mlp.fc2")
        x = r + x
    return x


def clip_vision(w, cfg, pixels):
    ps = cfg["patch_size"]
    patches = F.conv2d(pixels, w["vision_model.embeddings.patch_embedding.weight"], stride=ps)
    patches = patches.flatten(2).transpose(1, 2)
    cls = w["vision_model.embeddings.class_embedding"].expand(pixels.shape[0], 1, -1)
    x = torch.cat([cls, patches], dim=1)
    x = x + w["vision_model.embeddings.position_embedding.weight"][: x.shape[1]]
    x = layer_norm(x, w, "vision_model.pre_layrnorm", cfg["layer_norm_eps"])
    last = clip_encoder(w, "vision_model.encoder", x, cfg, None)
    pooled = layer_norm(last[:, 0, :], w, "vision_model.post_layernorm", cfg["layer_norm_eps"])
    return last, pooled


def clip_text(w, cfg, ids, attention_mask):
    b, t = ids.shape
    x = w["text_model.embeddings.token_embedding.weight"][ids] + w["text_model.embeddings.position_embedding.weight"][:t]
    neg = torch.finfo(torch.float32).min
    causal = torch.full((t, t), neg).triu(1)[None, None]
    pad = (1.0 - attention_mask[:, None, None, :].float()) * neg
    last = clip_encoder(w, "text_model.encoder", x, cfg, causal + pad)
    last = layer_norm(last, w, "text_model.final_layer_norm", cfg["layer_norm_eps"])
    if cfg["eos_token_id"] == 2:  # HF's legacy rule: the EOS token has the highest id
        idx = ids.argmax(-1)
    else:
        idx = (ids == cfg["eos_token_id"]).int().argmax(-1)
    pooled = last[torch.arange(b), idx]
    return last, pooled


def clip_to_openclip(w, vcfg, tcfg):
    """HF CLIPModel state dict -> OpenCLIP layout (the inverse of what the Java mapping does)."""
    o = {}

    def blocks(src, dst, n):
        for i in range(n):
            s, d = f"{src}.layers.{i}", f"{dst}.resblocks.{i}"
            o[d + ".ln_1.weight"] = w[s + ".layer_norm1.weight"]
            o[d + ".ln_1.bias"] = w[s + ".layer_norm1.bias"]
            o[d + ".attn.in_proj_weight"] = torch.cat([w[f"{s}.self_attn.{p}_proj.weight"] for p in "qkv"], 0)
            o[d + ".attn.in_proj_bias"] = torch.cat([w[f"{s}.self_attn.{p}_proj.bias"] for p in "qkv"], 0)
            o[d + ".attn.out_proj.weight"] = w[s + ".self_attn.out_proj.weight"]
            o[d + ".attn.out_proj.bias"] = w[s + ".self_attn.out_proj.bias"]
            o[d + ".ln_2.weight"] = w[s + ".layer_norm2.weight"]
            o[d + ".ln_2.bias"] = w[s + ".layer_norm2.bias"]
            o[d + ".mlp.c_fc.weight"] = w[s + ".mlp.fc1.weight"]
            o[d + ".mlp.c_fc.bias"] = w[s + ".mlp.fc1.bias"]
            o[d + ".mlp.c_proj.weight"] = w[s + ".mlp.fc2.weight"]
            o[d + ".mlp.c_proj.bias"] = w[s + ".mlp.fc2.bias"]

    o["visual.conv1.weight"] = w["vision_model.embeddings.patch_embedding.weight"]
    o["visual.class_embedding"] = w["vision_model.embeddings.class_embedding"]
    o["visual.positional_embedding"] = w["vision_model.embeddings.position_embedding.weight"]
    for a, b in (("ln_pre", "pre_layrnorm"), ("ln_post", "post_layernorm")):
        o[f"visual.{a}.weight"] = w[f"vision_model.{b}.weight"]
        o[f"visual.{a}.bias"] = w[f"vision_model.{b}.bias"]
    blocks("vision_model.encoder", "visual.transformer", vcfg["num_hidden_layers"])
    o["visual.proj"] = w["visual_projection.weight"].t().contiguous()
    o["token_embedding.weight"] = w["text_model.embeddings.token_embedding.weight"]
    o["positional_embedding"] = w["text_model.embeddings.position_embedding.weight"]
    blocks("text_model.encoder", "transformer", tcfg["num_hidden_layers"])
    o["ln_final.weight"] = w["text_model.final_layer_norm.weight"]
    o["ln_final.bias"] = w["text_model.final_layer_norm.bias"]
    o["text_projection"] = w["text_projection.weight"].t().contiguous()
    o["logit_scale"] = w["logit_scale"]
    o["attn_mask"] = torch.full((tcfg["max_position_embeddings"],) * 2, float("-inf")).triu(1)  # buffer, ignored
    return o


def make_clip(case, seed, hidden_act, eos_token_id):
    gen = torch.Generator().manual_seed(seed)
    vcfg = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4, patch_size=8,
                image_size=32, num_channels=3, layer_norm_eps=1e-5, hidden_act=hidden_act)
    tcfg = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4, vocab_size=100,
                max_position_embeddings=16, layer_norm_eps=1e-5, hidden_act=hidden_act, eos_token_id=eos_token_id,
                bos_token_id=eos_token_id - 1 if eos_token_id > 2 else 0, pad_token_id=1)
    proj = 24
    config = {"model_type": "clip", "architectures": ["CLIPModel"], "projection_dim": proj,
              "logit_scale_init_value": 2.6592, "vision_config": vcfg, "text_config": tcfg}
    w = {}
    npatch = (32 // 8) ** 2
    w["vision_model.embeddings.class_embedding"] = rnd(gen, 32, std=0.5)
    w["vision_model.embeddings.patch_embedding.weight"] = rnd(gen, 32, 3, 8, 8, std=0.1)
    w["vision_model.embeddings.position_embedding.weight"] = rnd(gen, npatch + 1, 32, std=0.3)
    ln_params(gen, w, "vision_model.pre_layrnorm", 32)
    for i in range(2):
        clip_layer_weights(gen, w, f"vision_model.encoder.layers.{i}", 32, 64)
    ln_params(gen, w, "vision_model.post_layernorm", 32)
    w["text_model.embeddings.token_embedding.weight"] = rnd(gen, 100, 32, std=0.5)
    w["text_model.embeddings.position_embedding.weight"] = rnd(gen, 16, 32, std=0.3)
    for i in range(2):
        clip_layer_weights(gen, w, f"text_model.encoder.layers.{i}", 32, 64)
    ln_params(gen, w, "text_model.final_layer_norm", 32)
    w["visual_projection.weight"] = rnd(gen, proj, 32)
    w["text_projection.weight"] = rnd(gen, proj, 32)
    w["logit_scale"] = torch.tensor(2.6592)

    pixels = torch.randn(2, 3, 32, 32, generator=gen)
    bos, eos = tcfg["bos_token_id"], eos_token_id
    if eos_token_id == 2:  # legacy vocab: EOS is the largest id, so argmax finds it
        bos, eos = 98, 99
    # row 0: full length, no padding; row 1: padded with pad id 1 after EOS
    ids = torch.tensor([[bos, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, eos],
                        [bos, 40, 41, 42, eos, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]])
    mask = (torch.arange(16)[None] <= torch.tensor([[15], [4]])).long()
    with torch.no_grad():
        vlast, vpooled = clip_vision(w, vcfg, pixels)
        tlast, tpooled = clip_text(w, tcfg, ids, mask)
        image_embeds = F.linear(vpooled, w["visual_projection.weight"])
        text_embeds = F.linear(tpooled, w["text_projection.weight"])
        ie = image_embeds / image_embeds.norm(dim=-1, keepdim=True)
        te = text_embeds / text_embeds.norm(dim=-1, keepdim=True)
        logits_per_text = te @ ie.t() * w["logit_scale"].exp()
    config["text_config"]["eos_token_id"] = eos_token_id
    expected = {"pixel_values": pixels, "input_ids": ids, "attention_mask": mask,
                "vision_last_hidden_state": vlast, "vision_pooler_output": vpooled,
                "text_last_hidden_state": tlast, "text_pooler_output": tpooled,
                "image_embeds": image_embeds, "text_embeds": text_embeds,
                "logits_per_image": logits_per_text.t().contiguous(), "logits_per_text": logits_per_text}
    save_case("clip", case, config, w, expected, {"openclip.safetensors": clip_to_openclip(w, vcfg, tcfg)})


# ---------------------------------------------------------------- GPT-2 (modeling_gpt2)
def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def conv1d(x, w, prefix):  # HF Conv1D: weight is [in, out]
    return x @ w[prefix + ".weight"] + w[prefix + ".bias"]


def gpt2_forward(w, cfg, ids):
    b, t = ids.shape
    n, heads = cfg["n_embd"], cfg["n_head"]
    hd = n // heads
    x = w["transformer.wte.weight"][ids] + w["transformer.wpe.weight"][torch.arange(t)]
    neg = torch.finfo(torch.float32).min
    causal = torch.ones(t, t, dtype=torch.bool).tril()
    for i in range(cfg["n_layer"]):
        p = f"transformer.h.{i}"
        r = x
        h = layer_norm(x, w, p + ".ln_1", cfg["layer_norm_epsilon"])
        q, k, v = conv1d(h, w, p + ".attn.c_attn").split(n, dim=2)
        q, k, v = (a.view(b, t, heads, hd).transpose(1, 2) for a in (q, k, v))
        s = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
        s = torch.where(causal, s, torch.tensor(neg))
        a = (s.softmax(-1) @ v).transpose(1, 2).reshape(b, t, n)
        x = r + conv1d(a, w, p + ".attn.c_proj")
        r = x
        h = layer_norm(x, w, p + ".ln_2", cfg["layer_norm_epsilon"])
        x = r + conv1d(gelu_new(conv1d(h, w, p + ".mlp.c_fc")), w, p + ".mlp.c_proj")
    x = layer_norm(x, w, "transformer.ln_f", cfg["layer_norm_epsilon"])
    return x, x @ w["transformer.wte.weight"].t()


def make_gpt2():
    gen = torch.Generator().manual_seed(7)
    n, vocab, npos, layers = 32, 300, 32, 2
    cfg = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "vocab_size": vocab, "n_embd": n,
           "n_layer": layers, "n_head": 4, "n_positions": npos, "n_inner": None, "layer_norm_epsilon": 1e-5,
           "activation_function": "gelu_new", "bos_token_id": 299, "eos_token_id": 299, "tie_word_embeddings": True}
    w = {"transformer.wte.weight": rnd(gen, vocab, n, std=0.5), "transformer.wpe.weight": rnd(gen, npos, n, std=0.3)}
    for i in range(layers):
        p = f"transformer.h.{i}"
        ln_params(gen, w, p + ".ln_1", n)
        ln_params(gen, w, p + ".ln_2", n)
        w[p + ".attn.c_attn.weight"] = rnd(gen, n, 3 * n)
        w[p + ".attn.c_attn.bias"] = rnd(gen, 3 * n, std=0.05)
        w[p + ".attn.c_proj.weight"] = rnd(gen, n, n)
        w[p + ".attn.c_proj.bias"] = rnd(gen, n, std=0.05)
        w[p + ".mlp.c_fc.weight"] = rnd(gen, n, 4 * n)
        w[p + ".mlp.c_fc.bias"] = rnd(gen, 4 * n, std=0.05)
        w[p + ".mlp.c_proj.weight"] = rnd(gen, 4 * n, n)
        w[p + ".mlp.c_proj.bias"] = rnd(gen, n, std=0.05)
    ln_params(gen, w, "transformer.ln_f", n)
    fwd = lambda ids: gpt2_forward(w, cfg, ids)[1]
    expected = causal_lm_expectations(fwd, gen, vocab, batch_ids=torch.randint(0, vocab, (2, 9), generator=gen))
    hidden, _ = gpt2_forward(w, cfg, expected["input_ids"])
    expected["last_hidden_state"] = hidden
    # `amalgam generate` on "hello world" = ids [259, 264] in tokenizers/gpt2 (src/scripts/make_tokenizer_fixtures.py)
    seq = torch.tensor([[259, 264]])
    for _ in range(6):
        last = fwd(seq)[0, -1]
        assert min_top2_margin(last) > 1e-3
        seq = torch.cat([seq, last.argmax()[None, None]], dim=1)
    expected["cli_prompt_ids"] = seq[0, :2].clone()
    expected["cli_greedy_ids"] = seq[0, 2:].clone()
    save_case("gpt2", "tiny", cfg, w, expected)


# ---------------------------------------------------------------- Llama / Qwen2 (modeling_llama, modeling_qwen2)
def rope_inv_freq(cfg):
    hd = cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]
    inv = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, hd, 2, dtype=torch.int64).float() / hd))
    rs = cfg.get("rope_scaling")
    if not rs:
        return inv
    kind = rs.get("rope_type", rs.get("type"))
    if kind == "linear":
        return inv / rs["factor"]
    if kind == "llama3":
        factor, lo, hi = rs["factor"], rs["low_freq_factor"], rs["high_freq_factor"]
        old = rs["original_max_position_embeddings"]
        lo_wl, hi_wl = old / lo, old / hi
        wl = 2 * math.pi / inv
        out = torch.where(wl > lo_wl, inv / factor, inv)
        smooth = (old / wl - lo) / (hi - lo)
        smoothed = (1 - smooth) * out / factor + smooth * out
        medium = ~(wl < hi_wl) * ~(wl > lo_wl)
        return torch.where(medium, smoothed, out)
    raise ValueError(kind)


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def rms_norm(x, weight, eps):
    var = x.pow(2).mean(-1, keepdim=True)
    return weight * (x * torch.rsqrt(var + eps))


def llama_forward(w, cfg, ids):
    b, t = ids.shape
    h, heads, kvh = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = h // heads
    eps = cfg["rms_norm_eps"]
    inv = rope_inv_freq(cfg)
    freqs = torch.arange(t).float()[:, None] * inv[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos()[None, None], emb.sin()[None, None]
    neg = torch.finfo(torch.float32).min
    causal = torch.full((t, t), neg).triu(1)
    x = w["model.embed_tokens.weight"][ids]
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}"
        r = x
        y = rms_norm(x, w[p + ".input_layernorm.weight"], eps)
        q = linear(y, w, p + ".self_attn.q_proj").view(b, t, heads, hd).transpose(1, 2)
        k = linear(y, w, p + ".self_attn.k_proj").view(b, t, kvh, hd).transpose(1, 2)
        v = linear(y, w, p + ".self_attn.v_proj").view(b, t, kvh, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        rep = heads // kvh  # repeat_kv: each kv head serves `rep` consecutive query heads
        k = k[:, :, None].expand(b, kvh, rep, t, hd).reshape(b, heads, t, hd)
        v = v[:, :, None].expand(b, kvh, rep, t, hd).reshape(b, heads, t, hd)
        s = q @ k.transpose(2, 3) / math.sqrt(hd) + causal
        a = (s.softmax(-1) @ v).transpose(1, 2).reshape(b, t, h)
        x = r + linear(a, w, p + ".self_attn.o_proj")
        r = x
        y = rms_norm(x, w[p + ".post_attention_layernorm.weight"], eps)
        y = linear(F.silu(linear(y, w, p + ".mlp.gate_proj")) * linear(y, w, p + ".mlp.up_proj"), w, p + ".mlp.down_proj")
        x = r + y
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    return x, x @ head.t()


def make_llama(case, seed, model_type, rope_scaling=None, qkv_bias=False, tie=False, rope_theta=10000.0):
    gen = torch.Generator().manual_seed(seed)
    h, inter, layers, heads, kvh, vocab = 32, 64, 2, 4, 2, 100
    hd = h // heads
    cfg = {"model_type": model_type, "vocab_size": vocab, "hidden_size": h, "intermediate_size": inter,
           "num_hidden_layers": layers, "num_attention_heads": heads, "num_key_value_heads": kvh,
           "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "rope_theta": rope_theta, "hidden_act": "silu",
           "tie_word_embeddings": tie, "bos_token_id": 1, "eos_token_id": 2, "rope_scaling": rope_scaling}
    if model_type == "llama":
        cfg["attention_bias"] = False
    w = {"model.embed_tokens.weight": rnd(gen, vocab, h, std=0.5)}
    for i in range(layers):
        p = f"model.layers.{i}"
        w[p + ".input_layernorm.weight"] = 1.0 + rnd(gen, h, std=0.1)
        w[p + ".post_attention_layernorm.weight"] = 1.0 + rnd(gen, h, std=0.1)
        for name, rows in (("q_proj", heads * hd), ("k_proj", kvh * hd), ("v_proj", kvh * hd)):
            w[f"{p}.self_attn.{name}.weight"] = rnd(gen, rows, h)
            if qkv_bias:
                w[f"{p}.self_attn.{name}.bias"] = rnd(gen, rows, std=0.1)
        w[p + ".self_attn.o_proj.weight"] = rnd(gen, h, heads * hd)
        w[p + ".mlp.gate_proj.weight"] = rnd(gen, inter, h)
        w[p + ".mlp.up_proj.weight"] = rnd(gen, inter, h)
        w[p + ".mlp.down_proj.weight"] = rnd(gen, h, inter)
    w["model.norm.weight"] = 1.0 + rnd(gen, h, std=0.1)
    if not tie:
        w["lm_head.weight"] = rnd(gen, vocab, h, std=0.3)
    fwd = lambda ids: llama_forward(w, cfg, ids)[1]
    expected = causal_lm_expectations(fwd, gen, vocab, batch_ids=torch.randint(3, vocab, (2, 9), generator=gen))
    hidden, _ = llama_forward(w, cfg, expected["input_ids"])
    expected["last_hidden_state"] = hidden
    expected["rope_inv_freq"] = rope_inv_freq(cfg)
    save_case("llama", case, cfg, w, expected)


# ---------------------------------------------------------------- shared causal-LM expectations
def causal_lm_expectations(fwd, gen, vocab, batch_ids, new_tokens=8):
    with torch.no_grad():
        logits = fwd(batch_ids)
        prompt = torch.randint(3, vocab, (5,), generator=gen)
        cont = torch.randint(3, vocab, (4,), generator=gen)
        full = torch.cat([prompt, cont])[None]
        lp = fwd(full)[0].log_softmax(-1)
        ll = sum(float(lp[len(prompt) + j - 1, cont[j]]) for j in range(len(cont)))
        seq = prompt[None].clone()
        margin = float("inf")
        for _ in range(new_tokens):  # greedy, recomputing the whole sequence each step
            last = fwd(seq)[0, -1]
            margin = min(margin, min_top2_margin(last))
            seq = torch.cat([seq, last.argmax()[None, None]], dim=1)
        assert margin > 1e-3, f"greedy top-2 margin too small: {margin}"
    return {"input_ids": batch_ids, "logits": logits, "prompt_ids": prompt, "continuation_ids": cont,
            "continuation_loglik": torch.tensor([ll], dtype=torch.float32),
            "greedy_ids": seq[0, len(prompt):].clone()}


# ---------------------------------------------------------------- TorchScript (for TorchScriptParameters)
class TinyScripted(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(4, 3)
        self.norm = torch.nn.LayerNorm(3)

    def forward(self, x):
        return self.norm(self.fc(x))


def make_torchscript():
    torch.manual_seed(21)
    mod = TinyScripted().eval()
    with torch.no_grad():
        mod.norm.weight.copy_(1.0 + 0.3 * torch.randn(3))
        mod.norm.bias.copy_(0.3 * torch.randn(3))
    x = torch.randn(2, 4)
    new = {k: v + 0.5 * torch.randn(v.shape) for k, v in mod.state_dict().items()}
    with torch.no_grad():
        before = mod(x)
        after = F.layer_norm(F.linear(x, new["fc.weight"], new["fc.bias"]), (3,), new["norm.weight"], new["norm.bias"])
    d = os.path.join(ROOT, "torchscript", "tiny")
    os.makedirs(d, exist_ok=True)
    torch.jit.save(torch.jit.trace(mod, x), os.path.join(d, "tiny.pt"))
    tensors = {"input": x, "output_before": before, "output_after": after}
    tensors.update({"new." + k: v for k, v in new.items()})
    write_safetensors(os.path.join(d, "expected.safetensors"), tensors)
    print("wrote", d)


if __name__ == "__main__":
    torch.set_grad_enabled(False)
    make_clip("quickgelu", 1, "quick_gelu", 2)
    make_clip("gelu_eos", 2, "gelu", 3)
    make_gpt2()
    make_llama("llama", 11, "llama")
    make_llama("llama_linear_rope", 12, "llama", rope_scaling={"type": "linear", "factor": 2.0})
    make_llama("llama3_rope", 13, "llama", rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                                         "high_freq_factor": 4.0, "original_max_position_embeddings": 64})
    make_llama("qwen2", 14, "qwen2", qkv_bias=True, tie=True, rope_theta=1000000.0)
    make_llama("mistral", 15, "mistral")
    make_torchscript()
