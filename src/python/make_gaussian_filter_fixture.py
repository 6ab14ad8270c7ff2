#!/usr/bin/python3
"""scipy.ndimage.gaussian_filter(mode="nearest", truncate=4) reference for the spatter corruption's blur.

Input: a 17x20 array v[y, x] = ((x * 37 + y * 101) % 97) / 97 (rebuilt in the Java test).
Output: src/testdata/eval/corruption/gaussian_{sigma}.f64 (little-endian float64, row-major).
"""
import sys
from pathlib import Path

import numpy as np
from scipy.ndimage import gaussian_filter

out = Path(sys.argv[1] if len(sys.argv) > 1 else "src/testdata/eval/corruption")
H, W = 17, 20
yy, xx = np.mgrid[0:H, 0:W]
v = ((xx * 37 + yy * 101) % 97) / 97.0
for sigma in (0.5, 0.7, 1.5):
    r = gaussian_filter(v, sigma=sigma, mode="nearest", truncate=4.0)
    (out / f"gaussian_{sigma}.f64").write_bytes(r.astype("<f8").tobytes())
print("ok")
