#!/usr/bin/python3
"""PIL references for the corruptions whose reference code is pure PIL/numpy (run with /usr/bin/python3).

The input is CorruptionTest.pattern(48, 40), rebuilt here from the same formula. Outputs (raw RGB,
HWC uint8) go to src/testdata/eval/corruption/:
  pixelate_s{1..5}.rgb  PIL BOX down to int(side * c), BOX back up (c = 0.95 0.9 0.85 0.75 0.65)
  jpeg_s{1..5}.rgb      PIL JPEG round trip at quality 80 65 58 50 40
  contrast_s{1..5}.rgb  np.uint8(clip((x - mean) * c + mean, 0, 1) * 255), c = 0.75 0.5 0.4 0.3 0.15
"""
import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image

out = Path(sys.argv[1] if len(sys.argv) > 1 else "src/testdata/eval/corruption")
out.mkdir(parents=True, exist_ok=True)
W, H = 48, 40
x = np.zeros((H, W, 3), dtype=np.uint8)
for y in range(H):
    for xx in range(W):
        x[y, xx, 0] = 40 + (xx * 7 + y * 3) % 176
        x[y, xx, 1] = 60 + ((xx // 6 + y // 6) % 2) * 120
        x[y, xx, 2] = 40 + (xx * xx + 3 * y * y + xx * y) % 170
im = Image.fromarray(x, "RGB")

for s, c in enumerate([0.95, 0.9, 0.85, 0.75, 0.65], start=1):
    p = im.resize((int(W * c), int(H * c)), Image.BOX).resize((W, H), Image.BOX)
    (out / f"pixelate_s{s}.rgb").write_bytes(np.asarray(p).tobytes())
for s, q in enumerate([80, 65, 58, 50, 40], start=1):
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=q)
    j = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    (out / f"jpeg_s{s}.rgb").write_bytes(np.asarray(j).tobytes())
for s, c in enumerate([0.75, 0.5, 0.4, 0.3, 0.15], start=1):
    f = x / 255.0
    m = f.mean(axis=(0, 1), keepdims=True)
    r = np.uint8(np.clip((f - m) * c + m, 0, 1) * 255)
    (out / f"contrast_s{s}.rgb").write_bytes(r.tobytes())
print("written to", out)
