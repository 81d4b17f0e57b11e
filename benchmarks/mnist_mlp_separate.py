"""The MNIST MLP, each contender alone in its own process, several epochs on real digits.

`run.py` interleaves contenders in one process; this script isolates them, so process-wide state
(CPU float modes, allocator, caches) of one cannot help or hurt another. It prints ms/step per epoch.

Usage: python benchmarks/mnist_mlp_separate.py [--epochs 5] [--rows 12800]
"""

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def child(which, epochs, rows):
    sys.path.insert(0, HERE)
    import torch

    import workloads as wl

    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    steps = -(-rows // 128)
    wl.SIZES["mnist_mlp"] = (rows, rows, 128)
    if which == "torch":
        run = wl.torch_contender("mnist_mlp", quick=False)
    else:
        import kerasish

        run = wl.keras_contender(kerasish, "mnist_mlp", False, None)
    for epoch in range(epochs):
        t0 = time.perf_counter()
        per_step = run()
        print(f"{which} epoch {epoch}: {per_step * 1e3:.2f} ms/step "
              f"({(time.perf_counter() - t0) / steps * 1e3:.2f} incl. overhead)", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=12800)
    parser.add_argument("--child", choices=["torch", "kerasish"])
    args = parser.parse_args()
    if args.child:
        child(args.child, args.epochs, args.rows)
        return
    for which in ("torch", "kerasish"):
        subprocess.run([sys.executable, __file__, "--child", which, "--epochs", str(args.epochs),
                        "--rows", str(args.rows)], check=True)


if __name__ == "__main__":
    main()
