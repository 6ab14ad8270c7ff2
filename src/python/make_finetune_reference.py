"""Reference trajectory for FineTunerTorchReferenceTest: torch.optim.AdamW with two parameter groups
(weight decays, bias does not), clip_grad_norm_ and a LambdaLR warm-up + cosine schedule, on a linear
classifier with fixed data. Run with Debian's python3-torch: /usr/bin/python3 make_finetune_reference.py OUT.json"""
import json
import math
import sys

import torch

torch.manual_seed(0)
x = torch.randn(8, 3)
y = torch.tensor([0, 1, 1, 0, 1, 0, 0, 1])
w0 = torch.randn(2, 3) * 0.5
b0 = torch.randn(2) * 0.1

lin = torch.nn.Linear(3, 2)
with torch.no_grad():
    lin.weight.copy_(w0)
    lin.bias.copy_(b0)

lr, wd, max_norm, batch, epochs, warmup_ratio = 0.2, 0.05, 0.5, 4, 3, 0.25
total = epochs * (len(x) // batch)
warmup = math.ceil(warmup_ratio * total)


def factor(k):
    """Multiplier of the update numbered k + 1 (Amalgam's schedule is 1-based, LambdaLR's 0-based)."""
    t = k + 1
    if t <= warmup:
        return t / warmup
    if t >= total:
        return 0.0
    return 0.5 * (1 + math.cos(math.pi * (t - warmup) / (total - warmup)))


opt = torch.optim.AdamW([{"params": [lin.weight], "weight_decay": wd},
                         {"params": [lin.bias], "weight_decay": 0.0}], lr=lr, betas=(0.9, 0.999), eps=1e-8)
sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
steps = []
for epoch in range(epochs):
    for i in range(0, len(x), batch):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(lin(x[i:i + batch]), y[i:i + batch])
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(lin.parameters(), max_norm)
        used_lr = opt.param_groups[0]["lr"]
        opt.step()
        sched.step()
        steps.append({"loss": loss.item(), "grad_norm": norm.item(), "lr": used_lr,
                      "weight": lin.weight.detach().flatten().tolist(), "bias": lin.bias.detach().tolist()})

json.dump({"x": x.flatten().tolist(), "y": y.tolist(), "weight0": w0.flatten().tolist(), "bias0": b0.tolist(),
           "lr": lr, "weight_decay": wd, "max_grad_norm": max_norm, "batch": batch, "epochs": epochs,
           "warmup_ratio": warmup_ratio, "torch": torch.__version__, "steps": steps},
          open(sys.argv[1], "w"), indent=1)
