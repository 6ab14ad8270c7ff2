"""Writes src/testdata/fixtures/dtypes_torch.{safetensors,json} with python3-torch (Debian 1.13).

The safetensors file is written by hand (struct + json, no safetensors package) and holds the same
F32 values as F32, F16 and BF16, converted by torch (round to nearest even). The JSON holds the F32
inputs and torch's F16/BF16 results as bit patterns and as float64 values, so the Java tests compare
against torch without python at test time.

Run: /usr/bin/python3 src/python/make_dtype_fixture.py
"""
import json
import math
import os
import struct

import torch

torch.manual_seed(1234)
special = [0.0, -0.0, 1.0, -2.0, 0.1, 1.0 / 3.0, 65504.0, 65519.0, 65520.0, 70000.0, -1e6,
           2.0 ** -14, 2.0 ** -24, 2.0 ** -25, 3 * 2.0 ** -26, 2.0 ** -26, 1.5 * 2.0 ** -24, 5.9604645e-08,
           6.1e-5, 1e-8, 1e-40, 3.4e38, float("inf"), float("-inf"), float("nan"),
           1.0 + 2.0 ** -11, 1.0 + 3 * 2.0 ** -11, 1.0 + 2.0 ** -8, 1.0 + 3 * 2.0 ** -8,
           1.00390625, 1.01171875, 255.5, 256.5, -7.123456789, 1e-3, 12345.678]
values = torch.tensor(special, dtype=torch.float32)
values = torch.cat([values, torch.randn(200) * torch.logspace(-8, 5, 200)]).to(torch.float32)

f16 = values.to(torch.float16)
bf16 = values.to(torch.bfloat16)


def bits16(t):
    return [int(v) & 0xFFFF for v in t.view(torch.int16).tolist()]


def bits32(t):
    return [int(v) & 0xFFFFFFFF for v in t.view(torch.int32).tolist()]


def as_json_floats(t):
    return [None if math.isnan(v) else (str(v) if math.isinf(v) else v) for v in t.to(torch.float64).tolist()]


tensors = [("a_f32", "F32", values), ("b_f16", "F16", f16), ("c_bf16", "BF16", bf16)]
header = {"__metadata__": {"format": "pt", "made_by": "make_dtype_fixture.py"}}
data = b""
for name, dt, t in tensors:
    raw = t.view(torch.int32).numpy().tobytes() if dt == "F32" else t.view(torch.int16).numpy().tobytes()
    header[name] = {"dtype": dt, "shape": [len(t) // 4, 4] if len(t) % 4 == 0 else [len(t)],
                    "data_offsets": [len(data), len(data) + len(raw)]}
    data += raw
hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
hjson += b" " * ((8 - len(hjson) % 8) % 8)
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "resources", "fixtures")
with open(os.path.join(out, "dtypes_torch.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(hjson)) + hjson + data)
with open(os.path.join(out, "dtypes_torch.json"), "w") as f:
    json.dump({"torch_version": torch.__version__, "count": len(values),
               "f32_bits": bits32(values), "f32": as_json_floats(values),
               "f16_bits": bits16(f16), "f16": as_json_floats(f16),
               "bf16_bits": bits16(bf16), "bf16": as_json_floats(bf16)}, f)
print("wrote", len(values), "values")
