#!/usr/bin/env python3
"""Prints, as shell assignments, where this Python's torch keeps libtorch and what it is.

Used by ./amalgam (AMALGAM_TORCH=python) and by the GPU check kit's run.sh (docs/gpu.md):
PYTORCH_LIBRARY_PATH, PYTORCH_VERSION and PYTORCH_FLAVOR are what DJL reads; TORCH_CXX11_ABI and
TORCH_CMAKE_PREFIX_PATH are what a JNI build against this torch needs; CUDART_DIR is where libcudart
lives (DJL counts GPUs by loading it), empty when none is found.
"""
import glob
import os
import shlex

import torch

lib = os.path.join(os.path.dirname(torch.__file__), "lib")
version = torch.__version__.split("+")[0]
cuda = torch.version.cuda
flavor = "cpu"
if cuda:
    major, _, minor = cuda.partition(".")
    flavor = "cu" + major + (minor.split(".")[0] or "0")
site = os.path.dirname(os.path.dirname(torch.__file__))
cudart = sorted(glob.glob(os.path.join(site, "nvidia", "**", "libcudart.so*"), recursive=True)
                + glob.glob(os.path.join(lib, "libcudart*.so*")))
values = {
    "PYTORCH_LIBRARY_PATH": lib,
    "PYTORCH_VERSION": version,
    "PYTORCH_FLAVOR": flavor,
    "TORCH_CXX11_ABI": str(int(torch._C._GLIBCXX_USE_CXX11_ABI)),
    "TORCH_CMAKE_PREFIX_PATH": torch.utils.cmake_prefix_path,
    "CUDART_DIR": os.path.dirname(cudart[0]) if cudart else "",
}
for k, v in values.items():
    print(k + "=" + shlex.quote(v))
