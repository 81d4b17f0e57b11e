"""kerasish optimizer updates vs `torch.optim` (foreach), on an MLP's parameters (784-512-512-10).

Each contender applies `--steps` updates from fixed gradients (set once on `.grad`), so only the
update is timed: kerasish's `Optimizer.step()` (Keras's rule, `torch._foreach_*` kernels, host-side
scalars) against `torch.optim`'s multi-tensor implementation of the closest rule. Runs are
interleaved; medians and ratios are printed.

Usage: python benchmarks/bench_optimizers.py [--rounds 7] [--steps 50] [--device cpu]
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from common import interleave, machine_description, print_table, timed  # noqa: E402

import kerasish  # noqa: E402

SHAPES = [(784, 512), (512,), (512, 512), (512,), (512, 10), (10,)]

# name -> (kerasish factory, torch.optim factory)
PAIRS = {
    "Adam": (lambda: kerasish.optimizers.Adam(1e-3),
             lambda ps: torch.optim.Adam(ps, lr=1e-3, eps=1e-7, foreach=True)),
    "RMSprop": (lambda: kerasish.optimizers.RMSprop(1e-3),
                lambda ps: torch.optim.RMSprop(ps, lr=1e-3, alpha=0.9, eps=1e-7, foreach=True)),
    "SGD+momentum": (lambda: kerasish.optimizers.SGD(0.01, momentum=0.9),
                     lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9, foreach=True)),
}


def _params(device, make):
    gen = torch.Generator().manual_seed(0)
    params = []
    for shape in SHAPES:
        p = make(torch.randn(shape, generator=gen).to(device))
        p.grad = torch.randn(shape, generator=gen).to(device) * 1e-2
        params.append(p)
    return params


def _runner(step, steps, device):
    def run():
        def body():
            for _ in range(steps):
                step()
            if device.startswith("cuda"):
                torch.cuda.synchronize()
        return timed(body, steps)
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    print(machine_description())
    for name, (make_ours, make_torch) in PAIRS.items():
        ours_params = _params(args.device, lambda t: kerasish.Variable(t))
        ours = make_ours()
        ours.build(ours_params)
        torch_params = _params(args.device, lambda t: torch.nn.Parameter(t))
        theirs = make_torch(torch_params)
        medians = interleave({"torch.optim (foreach)": _runner(theirs.step, args.steps, args.device),
                              "kerasish": _runner(ours.step, args.steps, args.device)},
                             args.rounds)
        print_table(f"{name} update, MLP 784-512-512-10 ({args.device})", medians,
                    "torch.optim (foreach)")


if __name__ == "__main__":
    main()
