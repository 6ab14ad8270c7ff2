#!/usr/bin/python3
"""Reference outputs of PIL's resize for dev.amalgam.eval.transforms tests (run with Debian's /usr/bin/python3).

Writes to src/testdata/eval/pil/: the input image (PNG) and raw RGB (HWC uint8) results of
PIL resizes, plus the CLIP preprocessing of the image at size 32 (float32 little-endian CHW),
computed with PIL + numpy exactly as torchvision's Resize(32, BICUBIC) + CenterCrop(32) +
ToTensor + Normalize(CLIP mean/std) would.
"""
import sys
from pathlib import Path

import numpy as np
from PIL import Image

out = Path(sys.argv[1] if len(sys.argv) > 1 else "src/testdata/eval/pil")
out.mkdir(parents=True, exist_ok=True)

W, H = 97, 67
rng = np.random.RandomState(0)
yy, xx = np.mgrid[0:H, 0:W]
img = np.zeros((H, W, 3), dtype=np.float64)
img[..., 0] = 255 * xx / (W - 1)                      # horizontal ramp
img[..., 1] = np.where((xx // 8 + yy // 8) % 2 == 0, 230, 20)   # hard-edged checkerboard
img[..., 2] = rng.randint(0, 256, size=(H, W))          # noise: stresses ringing and clipping
img = img.astype(np.uint8)
Image.fromarray(img, "RGB").save(out / "input.png")
im = Image.open(out / "input.png")

def save(name, pil_img):
    (out / name).write_bytes(np.asarray(pil_img.convert("RGB"), dtype=np.uint8).tobytes())
    print(name, pil_img.size)

save("bicubic_34x24.rgb", im.resize((34, 24), Image.BICUBIC))      # downscale (antialiased)
save("bicubic_144x100.rgb", im.resize((144, 100), Image.BICUBIC))  # upscale
save("box_31x21.rgb", im.resize((31, 21), Image.BOX))
save("bilinear_50x40.rgb", im.resize((50, 40), Image.BILINEAR))

# CLIP preprocessing at size 32: short side 67 -> 32, long side int(32 * 97 / 67) = 46.
size = 32
short, long_ = min(W, H), max(W, H)
new_long = int(size * long_ / short)
r = im.resize((new_long, size) if W > H else (size, new_long), Image.BICUBIC)
left = int(round((r.size[0] - size) / 2.0))
top = int(round((r.size[1] - size) / 2.0))
c = r.crop((left, top, left + size, top + size)).convert("RGB")
x = np.asarray(c, dtype=np.float32) / 255.0
mean = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
std = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
x = ((x - mean) / std).transpose(2, 0, 1).astype("<f4")
(out / "clip32.f32").write_bytes(x.tobytes())
print("clip32.f32", x.shape, "crop offset", left, top)
