"""The MNIST CNN's Conv2D stack (forward + backward, batch 128) in kerasish vs the same hand-written
torch modules, interleaved; prints medians and the ratio.

The torch side is what a PyTorch user writes: NCHW input, `nn.Conv2d`/`nn.MaxPool2d`/`nn.Linear`.
The kerasish side takes Keras's NHWC input and computes on its channels-last NCHW view.

Usage: python benchmarks/bench_layers.py [--rounds N] [--steps N] [--threads N]
"""

import argparse
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import interleave, machine_description, print_table, timed  # noqa: E402

from kerasish import layers  # noqa: E402
from kerasish.models import Sequential  # noqa: E402


def kerasish_stack():
    model = Sequential([
        layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)),
        layers.Conv2D(32, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10),
    ])
    model(torch.zeros(1, 28, 28, 1))
    return model


def torch_stack():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(12 * 12 * 32, 128), nn.ReLU(), nn.Linear(128, 10))


def step_fn(model, x):
    def run():
        model.zero_grad(set_to_none=True)
        model(x).square().mean().backward()
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", 2)))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x_nhwc = torch.rand(128, 28, 28, 1)
    x_nchw = x_nhwc.permute(0, 3, 1, 2).contiguous()
    k_step, t_step = step_fn(kerasish_stack(), x_nhwc), step_fn(torch_stack(), x_nchw)

    def many(fn):
        def run():
            def loop():
                for _ in range(args.steps):
                    fn()
            return timed(loop, args.steps)
        return run

    medians = interleave({"torch (NCHW)": many(t_step), "kerasish (NHWC)": many(k_step)},
                         rounds=args.rounds, warmup=2)
    print(machine_description())
    print_table("MNIST CNN Conv2D stack, forward + backward, batch 128", medians,
                baseline="torch (NCHW)", unit="ms")


if __name__ == "__main__":
    main()
