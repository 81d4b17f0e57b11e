"""Training-step time on a chosen device: kerasish `fit` vs a hand-written torch loop vs Keras 3
(torch backend), interleaved in one run.

Workloads (random data, one epoch of `--steps` batches per timing):
- CNN: 28x28x1 -> Conv2D 32 3x3 relu -> MaxPool 2 -> Conv2D 64 3x3 relu -> MaxPool 2 -> Flatten
  -> Dense 10 softmax, adam, batch 128.
- LSTM: 50 steps x 32 features -> LSTM 128 -> Dense 10 softmax, adam, batch 64.

Each contender's epoch ends with a device synchronize, so the times are wall-clock per step.
Results print as markdown tables and, with `--out DIR` (or `$OUT`), go to `DIR/bench_gpu.json`.

Usage: python benchmarks/bench_gpu.py --device cuda [--steps 50] [--rounds 5] [--no-keras]
       python benchmarks/bench_gpu.py --device cpu --steps 3 --rounds 1   # smoke test
"""

import argparse
import json
import os
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "torch")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

from common import interleave, machine_description, print_table  # noqa: E402

WORKLOADS = {
    "cnn": {"shape": (28, 28, 1), "batch": 128},
    "lstm": {"shape": (50, 32), "batch": 64},
}


def _sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _keras_model(lib, kind):
    L = lib.layers
    if kind == "cnn":
        body = [L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(2), L.Conv2D(64, 3, activation="relu"),
                L.MaxPooling2D(2), L.Flatten()]
    else:
        body = [L.LSTM(128)]
    model = lib.Sequential([lib.Input(WORKLOADS[kind]["shape"]), *body, L.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


class _TorchLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(32, 128, batch_first=True)
        self.head = nn.Linear(128, 10)

    def forward(self, x):
        return self.head(self.lstm(x)[0][:, -1])


def _torch_model(kind):
    if kind == "cnn":
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3),
                             nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 5 * 5, 10))
    return _TorchLSTM()


def torch_contender(kind, x, y, batch, device):
    model = _torch_model(kind).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    xt = torch.from_numpy(x).to(device)
    if kind == "cnn":
        xt = xt.permute(0, 3, 1, 2).contiguous()  # what a torch user feeds a Conv2d
    yt = torch.from_numpy(y).to(device)
    n = len(xt)

    def epoch():
        total = torch.zeros((), device=device)
        for idx in torch.randperm(n, device=device).split(batch):
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            total += loss.detach()
        _sync(device)

    return epoch


def fit_contender(lib, kind, x, y, batch, device):
    model = _keras_model(lib, kind)
    if hasattr(model, "to"):
        model.to(device)

    def epoch():
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
        _sync(device)

    return epoch


def _per_step(epoch, steps):
    def run():
        t0 = time.perf_counter()
        epoch()
        return (time.perf_counter() - t0) / steps
    return run


def bench(kind, args, device):
    spec = WORKLOADS[kind]
    rng = np.random.default_rng(0)
    n = spec["batch"] * args.steps
    x = rng.random((n,) + spec["shape"]).astype("float32")
    y = rng.integers(10, size=n)
    import kerasish

    kerasish.backend.set_device(device)
    contenders = {"torch loop": torch_contender(kind, x, y, spec["batch"], device),
                  "kerasish": fit_contender(kerasish, kind, x, y, spec["batch"], device)}
    if not args.no_keras:
        import keras

        contenders["keras 3 (torch)"] = fit_contender(keras, kind, x, y, spec["batch"], device)
    runs = {name: _per_step(fn, args.steps) for name, fn in contenders.items()}
    return interleave(runs, rounds=args.rounds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--steps", type=int, default=50, help="batches per timed epoch")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workloads", default="cnn,lstm")
    parser.add_argument("--no-keras", action="store_true", help="skip real Keras")
    parser.add_argument("--out", default=os.environ.get("OUT"), help="folder for bench_gpu.json")
    args = parser.parse_args()
    device = torch.device(args.device)
    machine = machine_description()
    if device.type == "cuda":
        machine += f", {torch.cuda.get_device_name(device)}"
    print(f"Machine: {machine}")
    results = {"machine": machine, "device": str(device), "steps": args.steps, "workloads": {}}
    for kind in args.workloads.split(","):
        medians = bench(kind, args, device)
        print_table(f"{kind.upper()} training step ({device})", medians, "torch loop", unit="ms")
        results["workloads"][kind] = {name: seconds * 1e3 for name, seconds in medians.items()}
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "bench_gpu.json"), "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
