#!/usr/bin/env python3
"""Turns FusionBench's per-dataset CLIP class names and prompt templates into Amalgam YAML data.

Reads the Python sources as text and evaluates only literals (ast.literal_eval / f-string shapes);
nothing from the source repository is imported or executed.

Usage: python3 src/scripts/extract_clip_tasks.py <fusion_bench checkout dir> <commit> eval/suites/tasks
"""
import ast
import json
import sys
from pathlib import Path

# Amalgam task id -> (FusionBench module, variable holding the class names)
TASKS = {
    "sun397": ("sun397", "classnames"),
    "stanford_cars": ("stanford_cars", "classnames"),
    "resisc45": ("resisc45", "classnames"),
    "eurosat": ("eurosat", "classnames"),
    "svhn": ("svhn", "classnames"),
    "gtsrb": ("gtsrb", "classnames"),
    "mnist": ("mnist", "classnames"),
    "dtd": ("dtd", "classnames"),
    "oxford_flowers102": ("flower102", "classnames"),
    "pcam": ("pcam", "classnames"),
    "fer2013": ("fer2013", "classnames"),
    "oxford_iiit_pet": ("oxford_iiit_pet", "classnames"),
    "stl10": ("stl10", "classnames"),
    "cifar100": ("cifar100", "fine_label"),
    "cifar10": ("cifar10", "classnames"),
    "food101": ("food101", "classnames"),
    "fashion_mnist": ("fashion_mnist", "classnames"),
    "emnist_letters": ("emnist_letters", "classnames"),
    "kmnist": ("kmnist", "classnames"),
    "rendered_sst2": ("rendered_sst2", "classnames"),
}


def template_of(node):
    """`lambda c: f'...{c}...'` -> '...{}...'"""
    if not isinstance(node, ast.Lambda):
        raise ValueError("template is not a lambda")
    body = node.body
    if isinstance(body, ast.Constant) and isinstance(body.value, str):
        return body.value.replace("{", "{{").replace("}", "}}")
    if not isinstance(body, ast.JoinedStr):
        raise ValueError("template body is not an f-string")
    out = []
    for part in body.values:
        if isinstance(part, ast.Constant):
            out.append(part.value.replace("{", "{{").replace("}", "}}"))
        elif isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.Name):
            out.append("{}")
        else:
            raise ValueError("unsupported f-string part")
    return "".join(out)


def assignments(source):
    found = {}
    for stmt in ast.parse(source).body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            found[stmt.targets[0].id] = stmt.value
    return found


def class_list(vals, var):
    node = vals[var]
    if isinstance(node, ast.ListComp):
        # `[mapping[str(i)] for i in range(n)]`: read the literal dict and index it 0..n-1
        mapping = ast.literal_eval(vals[node.elt.value.id])
        n = ast.literal_eval(node.generators[0].iter.args[0])
        return [mapping[str(i)] for i in range(n)]
    return ast.literal_eval(node)


def q(s):
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def main():
    root, commit, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    for task, (module, var) in TASKS.items():
        rel = f"fusion_bench/tasks/clip_classification/{module}.py"
        vals = assignments((root / rel).read_text())
        classes = class_list(vals, var)
        templates = [template_of(t) for t in vals["templates"].elts]
        lines = [
            f"# Class names and CLIP prompt templates for {task}.",
            f"# Source: tanganke/fusion_bench @ {commit} {rel} (MIT), extracted by",
            "# src/scripts/extract_clip_tasks.py. Class order = label index order of that benchmark.",
            f"name: {task}",
            f"source: {q('tanganke/fusion_bench@' + commit[:12] + ':' + rel)}",
            f"num_classes: {len(classes)}",
            "templates:",
            *[f"  - {q(t)}" for t in templates],
            "classes:",
            *[f"  - {q(c)}" for c in classes],
        ]
        (out / f"{task}.yaml").write_text("\n".join(lines) + "\n")
        print(task, len(classes), len(templates))


if __name__ == "__main__":
    main()
