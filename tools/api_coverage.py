"""Counts, per Keras 3 module, the public names kerasish has (needs `keras` installed, as the
tests do): `python tools/api_coverage.py [--missing]`.

The reference is the installed Keras (the test dependency, 3.15 when this was written); a name
counts as present when the same attribute path resolves in kerasish.
"""

import argparse
import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402

import kerasish  # noqa: E402

MODULES = ["", "activations", "applications", "backend", "callbacks", "config", "constraints",
           "datasets", "distribution", "dtype_policies", "export", "initializers", "layers",
           "losses", "metrics", "mixed_precision", "models", "ops", "ops.image", "ops.linalg",
           "ops.nn", "ops.numpy", "optimizers", "optimizers.schedules", "quantizers", "random",
           "regularizers", "saving", "tree", "utils", "visualization", "wrappers"]


def _resolve(root, path):
    obj = root
    for part in filter(None, path.split(".")):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def coverage():
    rows = []
    for path in MODULES:
        theirs = _resolve(keras, path)
        if theirs is None:
            continue
        names = sorted(n for n in dir(theirs) if not n.startswith("_") and n != "src")
        if path == "":
            names = [n for n in names if not hasattr(getattr(keras, n), "__path__")
                     and type(getattr(keras, n)).__name__ != "module"]
        ours = _resolve(kerasish, path)
        have = [n for n in names if ours is not None and hasattr(ours, n)]
        rows.append((path or "(top level)", len(have), len(names),
                     sorted(set(names) - set(have))))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--missing", action="store_true", help="list the missing names")
    args = parser.parse_args()
    total_have = total = 0
    print(f"Keras {keras.__version__} vs kerasish {kerasish.__version__}\n")
    print("| module | kerasish has | of Keras's |")
    print("|---|---|---|")
    for path, have, count, missing in coverage():
        total_have += have
        total += count
        print(f"| `keras.{path}` | {have} | {count} |" if path != "(top level)"
              else f"| `keras` (top level) | {have} | {count} |")
        if args.missing and missing:
            print(f"|   missing | {', '.join(missing)} | |")
    print(f"| **all** | **{total_have}** | **{total}** |")


if __name__ == "__main__":
    main()
