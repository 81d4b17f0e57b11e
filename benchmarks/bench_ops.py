"""Per-call cost of `kerasish.ops` against the bare torch call it wraps and Keras 3's torch backend,
interleaved in one run; prints each contender's best round (microseconds per call: on a shared
machine noise only adds time to calls this short) and the ratios.

The table `ENTRIES` drives everything: one `(name, kerasish_fn, torch_fn, keras_fn)` per op, each
a function of the shared inputs `d` (a dict made by `inputs()`), so a family adds its ops by adding
rows (conv, attention, matmul, ... go in the same table).

Usage: python benchmarks/bench_ops.py [--rounds N] [--calls N] [--threads N] [--only NAME]
       [--no-keras]
"""

import argparse
import os
import statistics
import sys

import torch
import torch.nn.functional as F

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
sys.path.insert(0, os.path.dirname(_HERE))  # this checkout's kerasish, not an installed one
from common import machine_description  # noqa: E402
from workloads import interleave, timed  # noqa: E402

os.environ.setdefault("KERAS_BACKEND", "torch")

from kerasish import ops as K  # noqa: E402


def inputs():
    """The shared inputs: 256x256 float32 tensors (and friends)."""
    g = torch.Generator().manual_seed(0)
    return {
        "a": torch.randn(256, 256, generator=g),
        "b": torch.randn(256, 256, generator=g),
        "pos": torch.rand(256, 256, generator=g) + 0.1,
        "row": torch.randn(256, generator=g),
        "i": torch.randint(-100, 100, (256, 256), generator=g, dtype=torch.int32),
        # nn: a channels-last batch of images, a Keras (kh, kw, in, out) kernel, and attention's
        # (batch, seq, heads, head_dim) query.
        "img": torch.randn(8, 32, 32, 16, generator=g),
        "kernel": torch.randn(3, 3, 16, 32, generator=g),
        "q": torch.randn(8, 256, 8, 64, generator=g),
        # arrays: a mask and 64 gather indices.
        "mask": torch.rand(256, 256, generator=g) > 0.5,
        "idx": torch.randint(0, 256, (64,), generator=g),
    }


_KERAS = []  # [keras.ops], once imported by main()


def _k():
    return _KERAS[0]


# (name, kerasish_fn, torch_fn, keras_fn): each a function of the inputs `d`.
ENTRIES = [
    ("add", lambda d: K.add(d["a"], d["b"]), lambda d: torch.add(d["a"], d["b"]),
     lambda d: _k().add(d["a"], d["b"])),
    ("add (broadcast row)", lambda d: K.add(d["a"], d["row"]),
     lambda d: torch.add(d["a"], d["row"]), lambda d: _k().add(d["a"], d["row"])),
    ("add (python float)", lambda d: K.add(d["a"], 1.5), lambda d: torch.add(d["a"], 1.5),
     lambda d: _k().add(d["a"], 1.5)),
    ("multiply", lambda d: K.multiply(d["a"], d["b"]), lambda d: torch.mul(d["a"], d["b"]),
     lambda d: _k().multiply(d["a"], d["b"])),
    ("subtract", lambda d: K.subtract(d["a"], d["b"]), lambda d: torch.sub(d["a"], d["b"]),
     lambda d: _k().subtract(d["a"], d["b"])),
    ("divide", lambda d: K.divide(d["a"], d["pos"]), lambda d: torch.div(d["a"], d["pos"]),
     lambda d: _k().divide(d["a"], d["pos"])),
    ("maximum", lambda d: K.maximum(d["a"], d["b"]), lambda d: torch.maximum(d["a"], d["b"]),
     lambda d: _k().maximum(d["a"], d["b"])),
    ("exp", lambda d: K.exp(d["a"]), lambda d: torch.exp(d["a"]),
     lambda d: _k().exp(d["a"])),
    ("sqrt", lambda d: K.sqrt(d["pos"]), lambda d: torch.sqrt(d["pos"]),
     lambda d: _k().sqrt(d["pos"])),
    ("tanh", lambda d: K.tanh(d["a"]), lambda d: torch.tanh(d["a"]),
     lambda d: _k().tanh(d["a"])),
    ("square", lambda d: K.square(d["a"]), lambda d: torch.square(d["a"]),
     lambda d: _k().square(d["a"])),
    ("greater", lambda d: K.greater(d["a"], d["b"]), lambda d: torch.gt(d["a"], d["b"]),
     lambda d: _k().greater(d["a"], d["b"])),
    ("clip", lambda d: K.clip(d["a"], -0.5, 0.5), lambda d: torch.clip(d["a"], -0.5, 0.5),
     lambda d: _k().clip(d["a"], -0.5, 0.5)),
    ("sum", lambda d: K.sum(d["a"]), lambda d: torch.sum(d["a"]),
     lambda d: _k().sum(d["a"])),
    ("sum (axis=-1)", lambda d: K.sum(d["a"], axis=-1), lambda d: torch.sum(d["a"], dim=-1),
     lambda d: _k().sum(d["a"], axis=-1)),
    ("sum (int32)", lambda d: K.sum(d["i"]), lambda d: torch.sum(d["i"], dtype=torch.int32),
     lambda d: _k().sum(d["i"])),
    ("mean", lambda d: K.mean(d["a"]), lambda d: torch.mean(d["a"]),
     lambda d: _k().mean(d["a"])),
    ("mean (axis=0, keepdims)", lambda d: K.mean(d["a"], axis=0, keepdims=True),
     lambda d: torch.mean(d["a"], dim=0, keepdim=True),
     lambda d: _k().mean(d["a"], axis=0, keepdims=True)),
    ("max (axis=1)", lambda d: K.max(d["a"], axis=1), lambda d: torch.amax(d["a"], dim=1),
     lambda d: _k().max(d["a"], axis=1)),
    ("argmax (axis=1)", lambda d: K.argmax(d["a"], axis=1),
     lambda d: torch.argmax(d["a"], dim=1).int(), lambda d: _k().argmax(d["a"], axis=1)),
    ("var", lambda d: K.var(d["a"]), lambda d: torch.var(d["a"], correction=0),
     lambda d: _k().var(d["a"])),
    ("cumsum (axis=1)", lambda d: K.cumsum(d["a"], axis=1),
     lambda d: torch.cumsum(d["a"], dim=1), lambda d: _k().cumsum(d["a"], axis=1)),
    # nn. The bare-torch rows do the same layout work kerasish must do for Keras's layouts
    # (channels-last views, a permuted kernel view), so the ratio is the ops' own overhead.
    ("relu", lambda d: K.relu(d["a"]), lambda d: torch.relu(d["a"]),
     lambda d: _k().relu(d["a"])),
    ("softmax", lambda d: K.softmax(d["a"]), lambda d: torch.softmax(d["a"], -1),
     lambda d: _k().softmax(d["a"])),
    ("layer_normalization", lambda d: K.layer_normalization(d["a"]),
     lambda d: F.layer_norm(d["a"], (256,), eps=1e-7),
     lambda d: _k().layer_normalization(d["a"])),
    ("conv2d (8x32x32x16, 3x3x16x32, same)",
     lambda d: K.conv(d["img"], d["kernel"], padding="same"),
     lambda d: F.conv2d(d["img"].permute(0, 3, 1, 2), d["kernel"].permute(3, 2, 0, 1),
                        padding=1).permute(0, 2, 3, 1),
     lambda d: _k().conv(d["img"], d["kernel"], padding="same")),
    ("max_pool (8x32x32x16, 2x2)", lambda d: K.max_pool(d["img"], 2),
     lambda d: F.max_pool2d(d["img"].permute(0, 3, 1, 2), 2).permute(0, 2, 3, 1),
     lambda d: _k().max_pool(d["img"], 2)),
    ("dot_product_attention (8x256x8x64)",
     lambda d: K.dot_product_attention(d["q"], d["q"], d["q"]),
     lambda d: F.scaled_dot_product_attention(*(d["q"].transpose(1, 2),) * 3).transpose(1, 2),
     lambda d: _k().dot_product_attention(d["q"], d["q"], d["q"])),
    # arrays
    ("matmul", lambda d: K.matmul(d["a"], d["b"]), lambda d: torch.matmul(d["a"], d["b"]),
     lambda d: _k().matmul(d["a"], d["b"])),
    ("reshape", lambda d: K.reshape(d["a"], (128, 512)), lambda d: d["a"].reshape((128, 512)),
     lambda d: _k().reshape(d["a"], (128, 512))),
    ("transpose", lambda d: K.transpose(d["a"]), lambda d: d["a"].t(),
     lambda d: _k().transpose(d["a"])),
    ("transpose (axes, 4-D)", lambda d: K.transpose(d["img"], (0, 3, 1, 2)),
     lambda d: d["img"].permute((0, 3, 1, 2)), lambda d: _k().transpose(d["img"], (0, 3, 1, 2))),
    ("concatenate (axis=1)", lambda d: K.concatenate([d["a"], d["b"]], axis=1),
     lambda d: torch.cat([d["a"], d["b"]], dim=1),
     lambda d: _k().concatenate([d["a"], d["b"]], axis=1)),
    ("where", lambda d: K.where(d["mask"], d["a"], d["b"]),
     lambda d: torch.where(d["mask"], d["a"], d["b"]),
     lambda d: _k().where(d["mask"], d["a"], d["b"])),
    ("take (axis=0)", lambda d: K.take(d["a"], d["idx"], axis=0),
     lambda d: torch.index_select(d["a"], 0, d["idx"]),
     lambda d: _k().take(d["a"], d["idx"], axis=0)),
    ("take (axis=1)", lambda d: K.take(d["a"], d["idx"], axis=1),
     lambda d: torch.index_select(d["a"], 1, d["idx"]),
     lambda d: _k().take(d["a"], d["idx"], axis=1)),
]

# Calls per round for the entries too slow for `--calls` (milliseconds per call on a CPU).
CALLS = {"conv2d (8x32x32x16, 3x3x16x32, same)": 10, "max_pool (8x32x32x16, 2x2)": 20,
         "dot_product_attention (8x256x8x64)": 2}


def _loop(fn, d, calls):
    def run():
        for _ in range(calls):
            fn(d)
    return lambda: timed(run, calls)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", 1)))
    parser.add_argument("--only", action="append", help="run only entries whose name starts so")
    parser.add_argument("--no-keras", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if not args.no_keras:
        try:
            import keras

            if keras.backend.backend() == "torch":
                _KERAS.append(keras.ops)
        except ImportError:
            pass
    d = inputs()
    print(f"# kerasish.ops per-call cost ({machine_description()})")
    print(f"Keras 3: {'yes' if _KERAS else 'not run'}; inputs 256x256 float32; "
          f"{args.rounds} rounds of {args.calls} calls, interleaved; best round, us per call.\n")
    print("| op | torch | kerasish | keras | kerasish/torch | keras/torch |")
    print("|---|---|---|---|---|---|")
    ratios = []
    for name, ours, bare, theirs in ENTRIES:
        if args.only and not any(name.startswith(o) for o in args.only):
            continue
        calls = min(args.calls, CALLS.get(name, args.calls))
        contenders = {"torch": _loop(bare, d, calls), "kerasish": _loop(ours, d, calls)}
        if _KERAS and theirs is not None:
            contenders["keras"] = _loop(theirs, d, calls)
        samples = {}
        interleave(contenders, args.rounds, samples=samples)
        # Best round: on a shared machine, noise only ever adds time to a call this short.
        med = {name: min(v) for name, v in samples.items()}
        t = med["torch"]
        k = med.get("keras")
        ratios.append(med["kerasish"] / t)
        print(f"| {name} | {t * 1e6:.1f} | {med['kerasish'] * 1e6:.1f} | "
              f"{'-' if k is None else f'{k * 1e6:.1f}'} | {med['kerasish'] / t:.2f}x | "
              f"{'-' if k is None else f'{k / t:.2f}x'} |")
    if ratios:
        print(f"\nkerasish/torch: median {statistics.median(ratios):.2f}x, "
              f"worst {max(ratios):.2f}x")


if __name__ == "__main__":
    main()
