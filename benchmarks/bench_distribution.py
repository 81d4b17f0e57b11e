"""Memory per rank and step time: DDP against `DataParallel(fully_shard=True)`, 2 processes.

    python benchmarks/bench_distribution.py                    # CPU (gloo), 2 processes
    python benchmarks/bench_distribution.py --device cuda      # one process per GPU (nccl)

Launches `torchrun --nproc_per_node=N` once per mode (so each process's peak memory is its own)
on an MLP of `--layers` Dense(`--units`) layers trained with Adam, and prints, per mode and rank:
the bytes of parameters, gradients and optimizer slots the rank holds after a step, the peak
memory of the process while it trains (CUDA: `max_memory_allocated`; CPU: the peak RSS during
`fit` above the RSS before the model was built), and the median step time; then the
fully-sharded / DDP ratios.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _reset_peak_rss():
    """Linux: the peak RSS (VmHWM) restarts from the current RSS."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def _peak_rss_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _state_bytes(model):
    total = 0
    for p in model.trainable_weights:
        total += p.numel() * p.element_size()
        if p.grad is not None:
            total += p.grad.numel() * p.grad.element_size()
    for v in model.optimizer.variables:
        total += v.numel() * v.element_size()
    return total


class _StepTimer:
    def __init__(self):
        self.times, self._start = [], None

    def begin(self, batch, logs=None):
        self._start = time.perf_counter()

    def end(self, batch, logs=None):
        self.times.append(time.perf_counter() - self._start)


def worker(args):
    import numpy as np
    import torch

    import kerasish
    from kerasish import distribution

    before = _rss_bytes()

    if args.mode == "fsdp":
        distribution.set_distribution(distribution.DataParallel(fully_shard=True))
    kerasish.utils.set_random_seed(0)
    model = kerasish.Sequential([kerasish.Input((args.units,))] + [
        kerasish.layers.Dense(args.units, activation="relu") for _ in range(args.layers)] + [
        kerasish.layers.Dense(10)])
    model.compile(kerasish.optimizers.Adam(1e-4),
                  kerasish.losses.SparseCategoricalCrossentropy(from_logits=True))
    rng = np.random.default_rng(0)
    rows = args.batch * (args.steps + 2)
    x = rng.random((rows, args.units), dtype=np.float32)
    y = rng.integers(10, size=rows)
    timer = _StepTimer()
    _reset_peak_rss()  # the peak of training, not of building (whole initial values, then shards)
    cb = kerasish.callbacks.LambdaCallback(on_train_batch_begin=timer.begin,
                                           on_train_batch_end=timer.end)
    model.fit(x, y, batch_size=args.batch, epochs=1, shuffle=False, verbose=0, callbacks=[cb])
    cuda = torch.cuda.is_available() and args.device == "cuda"
    peak = torch.cuda.max_memory_allocated() if cuda else _peak_rss_bytes() - before
    rank = int(os.environ.get("RANK", "0"))
    params = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    with open(os.path.join(args.out, f"{args.mode}_rank{rank}.json"), "w") as f:
        json.dump({"state_bytes": _state_bytes(model), "peak_bytes": int(peak),
                   "local_params": params, "step_s": statistics.median(timer.times[2:])}, f)


def launch(args):
    import torch

    nproc = args.nproc or (torch.cuda.device_count() if args.device == "cuda" else 2)
    # Large blocks from mmap, returned at free: glibc's adaptive threshold would otherwise keep
    # freed whole weights in the heap, and the RSS would not show what is live.
    env = dict(os.environ, KERASISH_DEVICE=args.device, OMP_NUM_THREADS=str(args.threads),
               MALLOC_MMAP_THRESHOLD_="131072",
               PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    results = {}
    with tempfile.TemporaryDirectory() as out:
        for mode in ("ddp", "fsdp"):
            cmd = [sys.executable, "-m", "torch.distributed.run", f"--nproc_per_node={nproc}",
                   "--master_port=0", "--rdzv_backend=c10d", "--rdzv_endpoint=127.0.0.1:0",
                   __file__, "--worker", mode, "--out", out, "--units", str(args.units),
                   "--layers", str(args.layers), "--batch", str(args.batch),
                   "--steps", str(args.steps), "--device", args.device]
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)
            if proc.returncode != 0:
                sys.exit(f"{mode} failed:\n{proc.stderr[-4000:]}")
            results[mode] = [json.load(open(os.path.join(out, f"{mode}_rank{r}.json")))
                             for r in range(nproc)]
    _report(args, nproc, results)


def _report(args, nproc, results):
    whole = args.layers * (args.units * args.units + args.units) + args.units * 10 + 10
    mib = 1 / 2 ** 20
    print(f"MLP {args.layers}x Dense({args.units}) + Dense(10): {whole / 1e6:.1f}M parameters, "
          f"Adam, batch {args.batch}, {nproc} processes on {args.device}, {args.steps} steps")
    print("| mode | rank | params held | params+grads+Adam slots (MiB) | peak memory (MiB) | step (ms) |")
    print("|---|---|---|---|---|---|")
    for mode, ranks in results.items():
        for r, res in enumerate(ranks):
            print(f"| {mode} | {r} | {res['local_params'] / 1e6:.2f}M | {res['state_bytes'] * mib:.0f} "
                  f"| {res['peak_bytes'] * mib:.0f} | {res['step_s'] * 1e3:.1f} |")

    def worst(mode, key):
        return max(res[key] for res in results[mode])

    print(f"fully sharded / DDP: state {worst('fsdp', 'state_bytes') / worst('ddp', 'state_bytes'):.2f}, "
          f"peak {worst('fsdp', 'peak_bytes') / worst('ddp', 'peak_bytes'):.2f}, "
          f"step time {worst('fsdp', 'step_s') / worst('ddp', 'step_s'):.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--nproc", type=int, default=0, help="processes (default: 2, or the GPUs)")
    parser.add_argument("--units", type=int, default=1024)
    parser.add_argument("--layers", type=int, default=8)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--worker", choices=("ddp", "fsdp"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        args.mode = args.worker
        worker(args)
    else:
        launch(args)


if __name__ == "__main__":
    main()
