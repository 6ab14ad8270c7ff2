"""Reference fixture for TiesEmrFixtureTest: global TIES and EMR computed with PyTorch the way the
original / FusionBench code does it (whole-model flattening over sorted keys, kthvalue threshold,
sign resolution with majority fallback, disjoint merge; EMR elect/mask/rescale with sums of
per-tensor means). Written independently for Amalgam.

Run: /usr/bin/python3 src/python/ties_emr_fixture.py > src/testdata/merge/ties_emr_fixture.json
"""
import json
import torch

torch.manual_seed(1234)
SHAPES = {"b.weight": (4, 5), "a.bias": (7,), "c.conv": (3, 2, 2), "z.scale": ()}
TASKS = 3


def quantised(shape):
    # multiples of 1/64: sums are exact, so exact zeros (and the majority-sign fallback) really occur
    return torch.round(torch.randn(shape) * 8) / 64


base = {k: torch.randn(s) for k, s in SHAPES.items()}
tvs = [{k: quantised(s) for k, s in SHAPES.items()} for _ in range(TASKS)]


def flatten(sd):
    return torch.cat([sd[k].reshape(-1) for k in sorted(sd)])


def unflatten(vec, like):
    out, o = {}, 0
    for k in sorted(like):
        n = like[k].numel()
        out[k] = vec[o:o + n].reshape(like[k].shape)
        o += n
    return out


def trim(flat, k_percent):
    d = flat.shape[1]
    keep = int(d * (k_percent / 100))
    if keep >= d:
        return flat
    thr = flat.abs().kthvalue(d - keep, dim=1, keepdim=True).values
    return flat * (flat.abs() >= thr)


def elect(trimmed):
    s = torch.sign(trimmed.sum(dim=0))
    majority = torch.sign(s.sum())
    s[s == 0] = majority
    return s


def disjoint(trimmed, s, fn):
    keep = torch.where(s.unsqueeze(0) > 0, trimmed > 0, trimmed < 0)
    sel = trimmed * keep
    if fn == "dis-sum":
        return sel.sum(dim=0)
    if fn == "dis-mean":
        return sel.sum(dim=0) / torch.clamp((sel != 0).sum(dim=0).float(), min=1)
    return sel.abs().max(dim=0).values * s


def ties(k_percent, fn, lam):
    flat = torch.stack([flatten(tv) for tv in tvs])
    trimmed = trim(flat, k_percent)
    merged = disjoint(trimmed, elect(trimmed), fn)
    delta = unflatten(merged, base)
    return {k: (base[k] + lam * delta[k]).reshape(-1).tolist() for k in base}


def emr():
    unified, masks = {}, {}
    for k in base:
        stacked = torch.stack([tv[k] for tv in tvs])
        flag = (stacked.sum(dim=0) > 0).float() * 2 - 1
        m = (stacked * flag) > 0
        unified[k] = (stacked * m).abs().max(dim=0).values * flag
        masks[k] = m
    scales = []
    for t, tv in enumerate(tvs):
        num = sum(torch.mean(torch.abs(tv[k])) for k in base)
        den = sum(torch.mean(torch.abs(unified[k] * masks[k][t])) for k in base)
        scales.append(float(num / den))
    models = [{k: (base[k] + scales[t] * unified[k] * masks[k][t]).reshape(-1).tolist() for k in base}
              for t in range(TASKS)]
    return {"scales": scales, "models": models}


fixture = {
    "shapes": {k: list(s) for k, s in SHAPES.items()},
    "base": {k: v.reshape(-1).tolist() for k, v in base.items()},
    "task_vectors": [{k: v.reshape(-1).tolist() for k, v in tv.items()} for tv in tvs],
    "ties": [
        {"k": k, "merge": fn, "lambda": 0.3, "merged": ties(k, fn, 0.3)}
        for k in (20, 50, 100) for fn in ("dis-sum", "dis-mean", "dis-max")
    ],
    "emr": emr(),
}
print(json.dumps(fixture))
