"""Single-sample `predict` latency, side by side: kerasish vs a bare torch forward vs Keras 3.

The MNIST MLP of `run.py` (784-512-512-10, softmax) predicts one sample per call. Contenders run
round-robin in one process, on an idle machine and then on a busy one (one spinning process per
core for the whole measurement), and the table gives median microseconds per call and ratios
against the bare torch forward: `torch.no_grad()`, numpy in, numpy out (what `predict` does).

```
python benchmarks/bench_predict_latency.py               # idle and busy, 15 rounds
python benchmarks/bench_predict_latency.py --threads 1        # the per-call overhead alone
python benchmarks/bench_predict_latency.py --no-keras --rounds 5 --calls 100
```

Keras 3 runs in a worker process (same model, same input), its rounds alternating with the
others: in one process its OpenMP pool threads, left spinning after its parallel kernels, would
steal the CPU from whichever contender runs next.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "torch")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from common import machine_description  # noqa: E402


def _keras_like(lib):
    d = lib.layers
    model = lib.Sequential([lib.Input((784,)), d.Dense(512, activation="relu"),
                            d.Dense(512, activation="relu"), d.Dense(10, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
    return model


def _sample():
    return np.random.default_rng(0).random((1, 784), dtype=np.float32)


def _one_round(fn, calls):
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def contenders(with_keras, calls):
    """name -> `run_round()`, the median seconds per call over `calls` calls."""
    from torch import nn

    import kerasish

    x = _sample()
    ks = _keras_like(kerasish)
    bare = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                         nn.Linear(512, 10), nn.Softmax(-1)).eval()

    def torch_forward():
        with torch.no_grad():
            return bare(torch.from_numpy(x)).numpy()

    def kerasish_predict():
        return ks.predict(x, verbose=0)

    out = {"torch forward (no_grad)": lambda: _one_round(torch_forward, calls),
           "kerasish predict": lambda: _one_round(kerasish_predict, calls)}
    if with_keras:
        out["keras 3 predict"] = KerasWorker(calls).run_round
    return out


class KerasWorker:
    """Keras 3 in its own process: its OpenMP pool, spinning after its parallel regions, must not
    slow the other contenders down (or be slowed by theirs). Rounds still alternate."""

    def __init__(self, calls):
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--worker",
                                      "--calls", str(calls), "--threads", str(torch.get_num_threads())],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run_round(self):
        self.proc.stdin.write("round\n")
        self.proc.stdin.flush()
        return float(self.proc.stdout.readline())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def worker(calls):
    import keras

    model = _keras_like(keras)
    x = _sample()
    for _ in range(5):
        model.predict(x, verbose=0)
    for line in sys.stdin:
        if line.strip() == "round":
            print(_one_round(lambda: model.predict(x, verbose=0), calls), flush=True)


def measure(runs, rounds):
    """Median seconds per call of each contender over `rounds` round-robin rounds."""
    for run in runs.values():
        run()  # warm-up round
    per_round = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            per_round[name].append(run())
    return {name: statistics.median(values) for name, values in per_round.items()}, per_round


def spinners():
    """One busy-looping process per core (started here, stopped by `stop`)."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(os.cpu_count() or 2)]


def stop(procs):
    for p in procs:
        p.kill()
        p.wait()


def report(title, medians, per_round, baseline):
    print(f"\n## {title}")
    print(f"| contender | per call (us) | ratio vs {baseline} | per-round ratio (min-max) |")
    print("|---|---|---|---|")
    base = per_round[baseline]
    for name, value in medians.items():
        ratios = [a / b for a, b in zip(per_round[name], base)]
        print(f"| {name} | {value * 1e6:,.0f} | {value / medians[baseline]:.2f}x | "
              f"{min(ratios):.2f}-{max(ratios):.2f}x |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--no-keras", action="store_true")
    parser.add_argument("--only", choices=["idle", "busy"])
    parser.add_argument("--threads", type=int, default=torch.get_num_threads(),
                        help="torch threads (default: torch's); 1 measures the per-call overhead "
                             "alone, without OpenMP pool wake-ups")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.worker:
        return worker(args.calls)
    with_keras = not args.no_keras and _keras_available()
    runs = contenders(with_keras, args.calls)
    print(f"Machine: {machine_description()}; load average {os.getloadavg()[0]:.1f} at start; "
          f"contenders: {', '.join(runs)}")
    baseline = "torch forward (no_grad)"
    try:
        if args.only != "busy":
            report("idle", *measure(runs, args.rounds), baseline)
        if args.only != "idle":
            procs = spinners()
            try:
                time.sleep(0.5)
                report(f"busy ({len(procs)} spinning processes)", *measure(runs, args.rounds), baseline)
            finally:
                stop(procs)
    finally:
        if with_keras:
            runs["keras 3 predict"].__self__.close()


def _keras_available():
    import importlib.util

    return importlib.util.find_spec("keras") is not None and os.environ["KERAS_BACKEND"] == "torch"


if __name__ == "__main__":
    main()
