"""kerasish `fit` vs a hand-written torch loop vs Keras 3 (torch backend), interleaved in one run.

Workloads (per training step, CPU):
- seed MLP: the tutorial's model (1000x100 -> Dense 32 relu -> Dense 10 softmax), rmsprop, batch 32.
- MNIST MLP: 784-512-512-10 with Dropout(0.2), rmsprop, batch 128, on 60,000 random rows (set
  `--mnist-rows` smaller for a quick run).

The torch loop is what a PyTorch user writes: nn.Sequential, torch.optim.RMSprop, F.cross_entropy
on logits, index-permutation batches, loss and accuracy accumulated on the device (the same
information Keras's progress bar reports).

Usage: python benchmarks/bench_fit.py [--rounds 7] [--no-keras]
"""

import argparse
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "torch")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

from common import interleave, machine_description, print_table, timed  # noqa: E402

import kerasish  # noqa: E402


def torch_loop(x, y, layers, batch_size, lr=1e-3):
    model = nn.Sequential(*layers)
    opt = torch.optim.RMSprop(model.parameters(), lr=lr)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.argmax(1))
    n = len(xt)
    steps = (n + batch_size - 1) // batch_size

    def epoch():
        model.train()
        total_loss = torch.zeros(())
        correct = torch.zeros((), dtype=torch.long)
        perm = torch.randperm(n)
        for i in range(0, n, batch_size):
            idx = perm[i:i + batch_size]
            xb, yb = xt[idx], yt[idx]
            opt.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            loss.backward()
            opt.step()
            total_loss += loss.detach() * len(idx)
            correct += (logits.detach().argmax(1) == yb).sum()
        return float(total_loss) / n, float(correct) / n  # one sync per epoch, like Keras's logs

    return lambda: timed(epoch, steps)


def keras_like(lib, x, y, build, batch_size):
    model = build(lib)
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    steps = (len(x) + batch_size - 1) // batch_size
    return lambda: timed(lambda: model.fit(x, y, epochs=1, batch_size=batch_size, verbose=0), steps)


def seed_mlp(lib):
    return lib.Sequential([lib.Input((100,)), lib.layers.Dense(32, activation="relu"),
                           lib.layers.Dense(10, activation="softmax")])


def mnist_mlp(lib):
    return lib.Sequential([lib.Input((784,)), lib.layers.Dense(512, activation="relu"),
                           lib.layers.Dropout(0.2), lib.layers.Dense(512, activation="relu"),
                           lib.layers.Dropout(0.2), lib.layers.Dense(10, activation="softmax")])


def workloads(args):
    rng = np.random.default_rng(0)
    x = rng.random((1000, 100)).astype("float32")
    y = kerasish.utils.to_categorical(rng.integers(10, size=(1000, 1)), 10)
    seed = {
        "torch loop": torch_loop(x, y, [nn.Linear(100, 32), nn.ReLU(), nn.Linear(32, 10)], 32),
        "kerasish": keras_like(kerasish, x, y, seed_mlp, 32),
    }
    n = args.mnist_rows
    xm = rng.random((n, 784)).astype("float32")
    ym = kerasish.utils.to_categorical(rng.integers(10, size=(n,)), 10)
    mnist = {
        "torch loop": torch_loop(xm, ym, [nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2),
                                          nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.2),
                                          nn.Linear(512, 10)], 128),
        "kerasish": keras_like(kerasish, xm, ym, mnist_mlp, 128),
    }
    if not args.no_keras:
        import keras

        seed["keras 3 (torch)"] = keras_like(keras, x, y, seed_mlp, 32)
        mnist["keras 3 (torch)"] = keras_like(keras, xm, ym, mnist_mlp, 128)
    return {"seed MLP (1000x100 -> 32 relu -> 10 softmax, rmsprop, batch 32)": (seed, args.rounds * 3),
            f"MNIST MLP (784-512-512-10, dropout 0.2, rmsprop, batch 128, {n} rows)": (mnist, args.rounds)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mnist-rows", type=int, default=12800)
    parser.add_argument("--no-keras", action="store_true", help="skip real Keras")
    args = parser.parse_args()
    print(f"Machine: {machine_description()}")
    for title, (contenders, rounds) in workloads(args).items():
        medians = interleave(contenders, rounds)
        print_table(title, medians, "torch loop")


if __name__ == "__main__":
    main()
