#!/usr/bin/env python3
"""Exports a Hugging Face image-classification dataset split to the image-folder layout that
`amalgam eval --suite ta8|tall14|tall20 --data-root ROOT` reads (docs/datasets.md):

    ROOT/<task>/<split>/<label>_<class name>/<index>.png

Class directories are numbered in the dataset's label order, so Amalgam orders them numerically and
label i gets the i-th class name of eval/suites/tasks/<task>.yaml. This script needs internet access
and `pip install datasets pillow`; Amalgam itself never runs it (nor do its tests).

Usage:
    python3 src/scripts/hf_to_image_folders.py --task eurosat --root ~/data/amalgam
    python3 src/scripts/hf_to_image_folders.py --task svhn --root ~/data/amalgam --splits test,train
    python3 src/scripts/hf_to_image_folders.py --task mytask --hf-id someone/dataset --root ~/data/amalgam

The default ids are the Hugging Face datasets FusionBench's configs load (tanganke/* copies for most
TA8 tasks). Check the dataset card before relying on a label order; pass --hf-id / --hf-config for
others. A natural-shift set with the same classes can be exported with --out-split ood.
"""
import argparse
import re
from pathlib import Path

# task -> (dataset id, config name or None)
HF_IDS = {
    "sun397": ("tanganke/sun397", None),
    "stanford_cars": ("tanganke/stanford_cars", None),
    "resisc45": ("tanganke/resisc45", None),
    "eurosat": ("tanganke/eurosat", None),
    "svhn": ("ufldl-stanford/svhn", "cropped_digits"),
    "gtsrb": ("tanganke/gtsrb", None),
    "mnist": ("ylecun/mnist", None),
    "dtd": ("tanganke/dtd", None),
}

IMAGE_COLUMNS = ("image", "img", "pixel_values")
LABEL_COLUMNS = ("label", "labels", "fine_label")


def slug(name):
    s = re.sub(r"[^A-Za-z0-9]+", "_", str(name)).strip("_")
    return s[:60] or "class"


def pick(columns, candidates, what):
    for c in candidates:
        if c in columns:
            return c
    raise SystemExit(f"no {what} column among {columns}; pass --{what}-column")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--task", required=True, help="Amalgam task name (eval/suites/tasks/<task>.yaml)")
    ap.add_argument("--root", required=True, type=Path, help="data root passed to amalgam eval --data-root")
    ap.add_argument("--hf-id", help="Hugging Face dataset id (default: see HF_IDS)")
    ap.add_argument("--hf-config", help="dataset configuration name")
    ap.add_argument("--splits", default="test", help="comma-separated splits to export (default: test)")
    ap.add_argument("--out-split", help="directory name for the exported split (default: the split name)")
    ap.add_argument("--image-column")
    ap.add_argument("--label-column")
    ap.add_argument("--limit", type=int, default=0,
                    help="export only the first N images per split (0: all); amalgam eval --limit subsamples "
                         "stratified instead, which is usually what you want")
    args = ap.parse_args()

    from datasets import load_dataset  # imported here so --help works without it

    hf_id, config = HF_IDS.get(args.task, (None, None))
    hf_id = args.hf_id or hf_id
    config = args.hf_config or config
    if hf_id is None:
        raise SystemExit(f"no default dataset id for task {args.task}; pass --hf-id")
    for split in args.splits.split(","):
        ds = load_dataset(hf_id, config, split=split) if config else load_dataset(hf_id, split=split)
        image_col = args.image_column or pick(ds.column_names, IMAGE_COLUMNS, "image")
        label_col = args.label_column or pick(ds.column_names, LABEL_COLUMNS, "label")
        feature = ds.features[label_col]
        names = getattr(feature, "names", None)
        out = args.root / args.task / (args.out_split or split)
        n = len(ds) if args.limit <= 0 else min(args.limit, len(ds))
        for label, name in enumerate(names or []):
            # every class directory exists even if a split (or --limit) has no image of it
            (out / f"{label}_{slug(name)}").mkdir(parents=True, exist_ok=True)
        for i in range(n):
            row = ds[i]
            label = int(row[label_col])
            cls = f"{label}_{slug(names[label])}" if names else str(label)
            d = out / cls
            d.mkdir(parents=True, exist_ok=True)
            im = row[image_col]
            if im.mode not in ("L", "RGB"):
                im = im.convert("RGB")
            im.save(d / f"{i:06d}.png")
        print(f"{hf_id} {split}: {n} images -> {out}")


if __name__ == "__main__":
    main()
