#!/usr/bin/python3
"""Writes src/testdata/dev/amalgam/merge/svd_merge_fixtures.json (GENERATED, committed).

Independent reference for the Java CART / TSV-M / Iso-C / Iso-CTS implementations: the formulas of
docs/methods/merge-methods.md sections 12, 13 and 16 written out directly in PyTorch (float64 maths on float32
inputs), on small random tensors with Hugging Face CLIP names. Run:
  /usr/bin/python3 src/python/svd_merge_fixtures.py
"""
import json
import os
import re

import torch

T = 3
PREFIX = "vision_model.encoder.layers.0."
SHAPES = {
    PREFIX + "self_attn.q_proj.weight": (8, 8),
    PREFIX + "self_attn.k_proj.weight": (8, 8),
    PREFIX + "self_attn.v_proj.weight": (8, 8),
    PREFIX + "self_attn.out_proj.weight": (8, 8),
    PREFIX + "mlp.fc1.weight": (12, 8),
    PREFIX + "mlp.fc2.weight": (8, 12),
    PREFIX + "layer_norm1.weight": (6,),
    PREFIX + "mlp.fc1.bias": (12,),
    "vision_model.post_layernorm.weight": (8,),
    "visual_projection.weight": (6, 8),
}
QKV = [PREFIX + "self_attn.%s_proj.weight" % c for c in "qkv"]
WHITELIST = re.compile(r"(self_attn\.(q|k|v|out)_proj|mlp\.fc[12])\.weight$")


def svd(x):
    return torch.linalg.svd(x, full_matrices=False)


def rank_k(x, k):
    u, s, vh = svd(x)
    return u[:, :k] @ torch.diag(s[:k]) @ vh[:k, :]


def polar(x):
    u, _, vh = svd(x)
    return u @ vh


def mean_tv(tvs):
    return sum(tvs) / len(tvs)


# ---------------------------------------------------------------- CART (section 16)
def cart_k(s, dim, ratio, rule, mode):
    if mode == "energy":
        e = torch.cumsum(s ** 2, 0) / torch.sum(s ** 2)
        return int((e < ratio).sum().item()) + 1
    k = int(ratio * dim)
    return max(1, k) if rule == "clip" else k


def cart_matrix(base, tvs, ratio, lam, rule, mode):
    avg = base + mean_tv(tvs)
    if ratio == 0.0:
        return avg
    total = torch.zeros_like(base)
    for tv in tvs:
        d = tv - mean_tv(tvs)                      # θ_t − θ_avg
        s = svd(d)[1]
        total += rank_k(d, cart_k(s, min(d.shape), ratio, rule, mode))
    return avg + lam * total


def cart_low_rank(name, shape, rule):
    if len(shape) != 2:
        return False
    if rule == "lm":
        return not any(w in name for w in ("bias", "LayerNorm", "ln", "token_type_embeddings"))
    return WHITELIST.search(name) is not None


def cart(base, tvs, ratio=0.12, lam=2.0, rule="clip", stack=True, mode="fixed"):
    out = {}
    for name in base:
        if stack and name in QKV:
            continue
        if cart_low_rank(name, base[name].shape, rule):
            out[name] = cart_matrix(base[name], tvs[name], ratio, lam, rule, mode)
        else:
            out[name] = base[name] + mean_tv(tvs[name])
    if stack:
        b = torch.cat([base[n] for n in QKV], 0)
        ts = [torch.cat([tvs[n][t] for n in QKV], 0) for t in range(T)]
        merged = cart_matrix(b, ts, ratio, lam, rule, mode)
        for i, n in enumerate(QKV):
            out[n] = merged[8 * i:8 * (i + 1)]
    return out


# ---------------------------------------------------------------- TSV-M (section 12)
def tsvm(base, tvs, alpha=1.0):
    out = {}
    for name in base:
        x = tvs[name]
        if len(base[name].shape) != 2:
            out[name] = base[name] + alpha * mean_tv(x)
            continue
        m, n = base[name].shape
        r = min(m, n)
        k = r // T
        U = torch.zeros(m, r, dtype=torch.float64)
        S = torch.zeros(r, dtype=torch.float64)
        V = torch.zeros(r, n, dtype=torch.float64)
        for t in range(T):
            u, s, vh = svd(x[t])
            U[:, t * k:(t + 1) * k] = u[:, :k]
            S[t * k:(t + 1) * k] = s[:k]
            V[t * k:(t + 1) * k, :] = vh[:k, :]
        out[name] = base[name] + alpha * (polar(U) @ torch.diag(S) @ polar(V))
    return out


# ---------------------------------------------------------------- Iso-C / Iso-CTS (section 13)
def iso_c(base, tvs, alpha=1.0):
    out = {}
    for name in base:
        x = tvs[name]
        if len(base[name].shape) != 2:
            out[name] = base[name] + alpha * mean_tv(x)
            continue
        u, s, vh = svd(sum(x))
        out[name] = base[name] + alpha * (u @ torch.diag(torch.full_like(s, s.mean().item())) @ vh)
    return out


def iso_cts(base, tvs, alpha=1.0, f=0.8):
    out = {}
    for name in base:
        x = tvs[name]
        if len(base[name].shape) != 2:
            out[name] = base[name] + alpha * mean_tv(x)
            continue
        m, n = base[name].shape
        r = min(m, n)
        kc = int(r * f)
        kc = r - round((r - kc) / T) * T           # Python round: half to even
        d = (r - kc) // T
        u, s, vh = svd(sum(x))
        uc, sc, vc = u[:, :kc], s[:kc], vh[:kc, :]
        us, ss, vs = [], [], []
        for t in range(T):
            w = x[t] - uc @ uc.T @ x[t]
            a, b, c = svd(w)
            us.append(a[:, :d]); ss.append(b[:d]); vs.append(c[:d, :])
        U = torch.cat(us + [uc], 1)
        S = torch.cat(ss + [sc])
        V = torch.cat(vs + [vc], 0)
        assert U.shape[1] == r
        S_iso = torch.full_like(S, S.mean().item())
        out[name] = base[name] + alpha * (polar(U) @ torch.diag(S_iso) @ polar(V))
    return out


def main():
    g = torch.Generator().manual_seed(20261122)
    base32, tvs32 = {}, {}
    for name, shape in SHAPES.items():
        base32[name] = torch.randn(shape, generator=g, dtype=torch.float32)
        tvs32[name] = [0.1 * torch.randn(shape, generator=g, dtype=torch.float32) for _ in range(T)]
    base = {n: v.double() for n, v in base32.items()}
    tvs = {n: [t.double() for t in v] for n, v in tvs32.items()}

    cases = [
        ("cart", {}, cart(base, tvs)),
        ("cart", {"rank_ratio": 0.5, "lambda": 1.3, "stack_qkv": False}, cart(base, tvs, 0.5, 1.3, stack=False)),
        ("cart", {"rank_ratio": 0.3, "lambda": 0.7, "stack_qkv": True}, cart(base, tvs, 0.3, 0.7)),
        ("cart", {"rank_ratio": 0.3, "lambda": 1.5, "key_rule": "lm"}, cart(base, tvs, 0.3, 1.5, "lm", stack=False)),
        ("cart", {"rank_ratio": 0.1, "lambda": 1.5, "key_rule": "lm"}, cart(base, tvs, 0.1, 1.5, "lm", stack=False)),
        ("cart", {"rank_ratio": 0.6, "lambda": 1.0, "rank_mode": "energy"}, cart(base, tvs, 0.6, 1.0, mode="energy")),
        ("tsv_m", {}, tsvm(base, tvs)),
        ("tsv_m", {"alpha": 0.7}, tsvm(base, tvs, 0.7)),
        ("iso_c", {}, iso_c(base, tvs)),
        ("iso_c", {"alpha": 1.5}, iso_c(base, tvs, 1.5)),
        ("iso_cts", {}, iso_cts(base, tvs)),
        ("iso_cts", {"alpha": 1.5, "common_space_fraction": 0.5}, iso_cts(base, tvs, 1.5, 0.5)),
    ]
    doc = {
        "generator": "src/python/svd_merge_fixtures.py, torch " + torch.__version__,
        "tasks": T,
        "tensors": [{"name": n, "shape": list(SHAPES[n]),
                     "base": base32[n].flatten().tolist(),
                     "task_vectors": [t.flatten().tolist() for t in tvs32[n]]} for n in SHAPES],
        "cases": [{"method": m, "params": p,
                   "expected": {n: [round(v, 7) for v in out[n].flatten().tolist()] for n in SHAPES}}
                  for m, p, out in cases],
    }
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    path = os.path.join(root, "src", "test", "resources", "dev", "amalgam", "merge", "svd_merge_fixtures.json")
    with open(path, "w") as fh:
        json.dump(doc, fh, separators=(",", ":"))
    print("wrote", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
