#!/usr/bin/python3
"""Throughput of a CLIP ViT image encoder in PyTorch (the reference side of `amalgam bench forward`).

Run with Debian's python3-torch: /usr/bin/python3 src/scripts/clip_vit_forward_bench.py [options].
The module below is our own re-implementation following Hugging Face's CLIPVisionModel +
visual_projection (modeling_clip, eager attention): conv patch embedding, class + position embeddings,
pre_layrnorm, pre-LN encoder layers with quick_gelu MLP, post_layernorm on the class token, bias-free
projection. Random weights (seeded); F32; inference mode. Prints one JSON line on stdout.
"""
import argparse
import json
import time

import torch
from torch import nn


def quick_gelu(x):
    return x * torch.sigmoid(1.702 * x)


class Attention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads = heads
        self.head_dim = hidden // heads
        self.scale = self.head_dim ** -0.5
        self.q_proj = nn.Linear(hidden, hidden)
        self.k_proj = nn.Linear(hidden, hidden)
        self.v_proj = nn.Linear(hidden, hidden)
        self.out_proj = nn.Linear(hidden, hidden)

    def _split(self, x, b, t):
        return x.view(b, t, self.heads, self.head_dim).transpose(1, 2).reshape(b * self.heads, t, self.head_dim)

    def forward(self, x):
        b, t, h = x.shape
        q = self._split(self.q_proj(x) * self.scale, b, t)
        k = self._split(self.k_proj(x), b, t)
        v = self._split(self.v_proj(x), b, t)
        weights = torch.softmax(torch.bmm(q, k.transpose(1, 2)), dim=-1)
        out = torch.bmm(weights, v).view(b, self.heads, t, self.head_dim).transpose(1, 2).reshape(b, t, h)
        return self.out_proj(out)


class EncoderLayer(nn.Module):
    def __init__(self, hidden, heads, intermediate, eps):
        super().__init__()
        self.self_attn = Attention(hidden, heads)
        self.layer_norm1 = nn.LayerNorm(hidden, eps=eps)
        self.fc1 = nn.Linear(hidden, intermediate)
        self.fc2 = nn.Linear(intermediate, hidden)
        self.layer_norm2 = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x):
        x = x + self.self_attn(self.layer_norm1(x))
        return x + self.fc2(quick_gelu(self.fc1(self.layer_norm2(x))))


class ClipVisionWithProjection(nn.Module):
    def __init__(self, image, patch, hidden, layers, heads, intermediate, projection, eps=1e-5):
        super().__init__()
        self.patch_embedding = nn.Conv2d(3, hidden, kernel_size=patch, stride=patch, bias=False)
        self.class_embedding = nn.Parameter(torch.randn(hidden))
        self.position_embedding = nn.Parameter(torch.randn((image // patch) ** 2 + 1, hidden) * 0.02)
        self.pre_layrnorm = nn.LayerNorm(hidden, eps=eps)
        self.layers = nn.ModuleList(EncoderLayer(hidden, heads, intermediate, eps) for _ in range(layers))
        self.post_layernorm = nn.LayerNorm(hidden, eps=eps)
        self.visual_projection = nn.Linear(hidden, projection, bias=False)

    def forward(self, pixels):
        x = self.patch_embedding(pixels).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + self.position_embedding
        x = self.pre_layrnorm(x)
        for layer in self.layers:
            x = layer(x)
        return self.visual_projection(self.post_layernorm(x[:, 0, :]))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--iters", type=int, default=5)
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: leave torch's default)")
    p.add_argument("--image", type=int, default=224)
    p.add_argument("--patch", type=int, default=32)
    p.add_argument("--hidden", type=int, default=768)
    p.add_argument("--layers", type=int, default=12)
    p.add_argument("--heads", type=int, default=12)
    p.add_argument("--intermediate", type=int, default=3072)
    p.add_argument("--projection", type=int, default=512)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = ClipVisionWithProjection(a.image, a.patch, a.hidden, a.layers, a.heads, a.intermediate,
                                     a.projection).float().eval()
    pixels = torch.randn(a.batch, 3, a.image, a.image)
    times = []
    with torch.inference_mode():
        for i in range(a.warmup + a.iters):
            t0 = time.perf_counter()
            out = model(pixels)
            dt = time.perf_counter() - t0
            if i >= a.warmup:
                times.append(dt)
    assert tuple(out.shape) == (a.batch, a.projection)
    total = sum(times)
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "batch": a.batch,
        "iters": a.iters,
        "seconds": times,
        "images_per_s": a.batch * len(times) / total if total > 0 else 0.0,
        "params": sum(t.numel() for t in model.parameters()),
    }))


if __name__ == "__main__":
    main()
