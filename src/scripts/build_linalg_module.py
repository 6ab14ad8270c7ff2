#!/usr/bin/python3
"""Builds src/main/resources/dev/amalgam/merge/linalg/linalg.pt, a GENERATED artefact (committed).

A tiny TorchScript module giving DJL the linear algebra it lacks (docs/methods/svd-methods.md, "SVD in DJL"):
  forward(x) -> torch.linalg.svd(x, full_matrices=False) as (U, S, Vh)
  eigh(x)    -> torch.linalg.eigh(x) as (eigenvalues ascending, eigenvectors)
Loaded by dev.amalgam.merge.linalg.Svd. Re-run after editing:
  /usr/bin/python3 src/scripts/build_linalg_module.py
(Debian python3-torch 1.13 is enough; DJL's libtorch 2.7.1 loads the result.)
"""
import os
import sys

import torch
from typing import Tuple


class Linalg(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        u, s, vh = torch.linalg.svd(x, full_matrices=False)
        return u, s, vh

    @torch.jit.export
    def eigh(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        w, v = torch.linalg.eigh(x)
        return w, v


def main() -> None:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "src", "main", "resources", "dev", "amalgam", "merge", "linalg", "linalg.pt")
    if len(sys.argv) > 1:
        out = sys.argv[1]
    os.makedirs(os.path.dirname(out), exist_ok=True)
    m = torch.jit.script(Linalg().eval())
    m.save(out)
    x = torch.randn(5, 3)
    u, s, vh = torch.jit.load(out)(x)
    assert torch.allclose(u @ torch.diag(s) @ vh, x, atol=1e-5)
    print(f"wrote {out} ({os.path.getsize(out)} bytes), torch {torch.__version__}")


if __name__ == "__main__":
    main()
