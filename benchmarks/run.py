"""Every performance workload of issue 10, side by side, interleaved in one run; prints one table.

Contenders: kerasish, a hand-written torch loop, Keras 3 on its torch backend (when `keras` is
installed; `--no-keras` skips it) and tf-keras 2 (in a subprocess of a Python that has
`tensorflow` + `tf_keras`: `--tf-python`, default `/tmp/tfenv/bin/python`; `--no-tf` skips it).
The table says which contenders ran. Training workloads time one `fit` epoch (seconds per step);
the contenders run round-robin — the tf-keras one is a long-lived worker process answering "run"
— and the table shows medians over the rounds.

Workloads (`--only NAME`, repeatable): seed_mlp, mnist_mlp, mnist_cnn, mnist_cnn_bf16, lstm,
attention, predict, memory, import. Data is random (nothing downloads); `--quick` uses small sizes.

Usage: python benchmarks/run.py [--quick] [--only seed_mlp] [--rounds N] [--threads N] [--no-keras]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import workloads as wl  # noqa: E402
from workloads import interleave  # noqa: E402

TRAINING = ["seed_mlp", "mnist_mlp", "mnist_cnn", "mnist_cnn_bf16", "lstm", "attention", "predict"]
ALL = TRAINING + ["memory", "import"]
TITLES = {
    "seed_mlp": "seed MLP (100 -> 32 relu -> 10 softmax, rmsprop, batch 32), per step",
    "mnist_mlp": "MNIST MLP (784-512-512-10, dropout 0.2, rmsprop, batch 128), per step",
    "mnist_cnn": "MNIST CNN fp32 (Conv32-Conv64-MaxPool-Dense128, dropout, adam, batch 128), per step",
    "mnist_cnn_bf16": "MNIST CNN, mixed_bfloat16 (torch: bf16 autocast), per step",
    "lstm": "LSTM classifier (Embedding 128 -> LSTM 128 -> Dense 1, adam, batch 32, len 80), per step",
    "attention": "transformer encoder block (Embedding 20k x 128 -> MultiHeadAttention 4 heads -> FFN ->"
                 " 2x LayerNormalization -> pooling -> Dense, adam, batch 32, len 200; torch: SDPA),"
                 " per step",
    "predict": "predict, MNIST MLP, batch 128, per batch",
    "memory": "peak RSS (VmHWM) of a process running one fit epoch of the MNIST MLP; 'memory growth"
              " in fit' is that peak minus the RSS just before fit (MiB)",
    "import": "import time (s, in a fresh process, bytecode cached)",
}
TF_PYTHON = "/tmp/tfenv/bin/python"


# ---------------------------------------------------------------------- contenders
def _import_lib(name):
    if name == "kerasish":
        import kerasish
        return kerasish
    if name == "keras":
        os.environ.setdefault("KERAS_BACKEND", "torch")
        import keras
        return keras
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import tf_keras
    return tf_keras


def build(contender, workload, quick):
    """`run()` for one contender; `contender` is 'torch', 'torch_bf16' or a library name."""
    if workload == "attention":  # its own module (benchmarks/bench_attention.py)
        import bench_attention

        return bench_attention.contender(contender, quick)
    if contender.startswith("torch"):
        return wl.torch_contender(workload, quick, bf16=contender == "torch_bf16")
    policy = "mixed_bfloat16" if workload == "mnist_cnn_bf16" and contender != "tf_keras" else None
    return wl.keras_contender(_import_lib(contender), workload, quick, policy)


class Worker:
    """A contender living in another Python (tf-keras): `run()` asks it for one measurement."""

    def __init__(self, python, workload, args):
        cmd = [python, os.path.abspath(__file__), "--worker", workload, "--lib", "tf_keras",
               "--threads", str(args.threads)] + (["--quick"] if args.quick else [])
        env = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     env=env, stderr=subprocess.DEVNULL)
        if self._read() != "ready":
            raise RuntimeError(f"worker for {workload} did not start")

    def _read(self):
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("worker exited")
        return line.strip()

    def __call__(self):
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        return float(self._read())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def worker_main(args):
    """The worker side: builds the workload, then answers each "run" with seconds per step."""
    if args.lib == "tf_keras":
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    run = build(args.lib, args.worker, args.quick)
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "run":
            print(repr(run()), flush=True)


def contenders_for(workload, args):
    names = {"torch loop": "torch"}
    if workload == "mnist_cnn_bf16":
        names["torch loop (bf16 autocast)"] = "torch_bf16"
    names["kerasish"] = "kerasish"
    if args.keras:
        names["keras 3 (torch)"] = "keras"
    out = {label: build(c, workload, args.quick) for label, c in names.items()}
    if args.tf:
        label = "tf-keras (fp32)" if workload == "mnist_cnn_bf16" else "tf-keras"
        out[label] = Worker(args.tf_python, workload, args)
    return out


# ---------------------------------------------------------------------- memory and import
def memory_main(args):
    """Runs one fit epoch of the MNIST MLP; prints RSS before fit and the peak (MiB)."""
    run = build(args.lib, "mnist_mlp", args.quick)
    before = _status_mib("VmRSS")
    run()
    print(json.dumps({"before": before, "peak": _status_mib("VmHWM")}), flush=True)


def _status_mib(field):
    # Not getrusage's ru_maxrss: Linux carries it across exec, so a child started by a big parent
    # reports the parent's peak. VmHWM belongs to this process's own address space.
    with open("/proc/self/status") as f:
        kib = next(int(line.split()[1]) for line in f if line.startswith(field + ":"))
    return kib / 1024


def _python_for(lib, args):
    return args.tf_python if lib == "tf_keras" else sys.executable


def _libs(args):
    libs = {"torch loop": "torch", "kerasish": "kerasish"}
    if args.keras:
        libs["keras 3 (torch)"] = "keras"
    if args.tf:
        libs["tf-keras"] = "tf_keras"
    return libs


def measure_memory(args):
    samples = {label: [] for label in _libs(args)}
    for _ in range(max(1, args.rounds // 3)):
        for label, lib in _libs(args).items():
            cmd = [_python_for(lib, args), os.path.abspath(__file__), "--memory-worker", "--lib", lib,
                   "--threads", str(args.threads)] + (["--quick"] if args.quick else [])
            out = subprocess.run(cmd, capture_output=True, text=True, check=True,
                                 env=dict(os.environ, KERAS_BACKEND="torch", TF_CPP_MIN_LOG_LEVEL="3"))
            r = json.loads(out.stdout.strip().splitlines()[-1])
            samples[label].append((r["peak"], r["peak"] - r["before"]))
    return ({label: statistics.median(p for p, _ in v) for label, v in samples.items()},
            {label: statistics.median(d for _, d in v) for label, v in samples.items()})


IMPORTS = {"torch": "torch", "kerasish": "kerasish", "keras": "keras", "tf_keras": "tf_keras"}


def measure_import(args):
    """Each import in a fresh interpreter, alternating; bytecode is cached in a temporary folder
    (as in an installed package) even where PYTHONDONTWRITEBYTECODE is set."""
    libs = {"torch loop": "torch", **{k: v for k, v in _libs(args).items() if v != "torch"}}
    env = dict(os.environ, KERAS_BACKEND="torch", TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3",
               PYTHONPYCACHEPREFIX=os.path.join(tempfile.gettempdir(), "kerasish_bench_pyc"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    code = "import time; t = time.perf_counter(); import {}; print(time.perf_counter() - t)"
    samples = {label: [] for label in libs}
    for i in range(1 + max(2, args.rounds)):
        for label, lib in libs.items():
            out = subprocess.run([_python_for(lib, args), "-c", code.format(IMPORTS[lib])],
                                 capture_output=True, text=True, check=True, env=env)
            if i:  # the first round writes the bytecode cache
                samples[label].append(float(out.stdout.strip().splitlines()[-1]))
    return {label: statistics.median(v) for label, v in samples.items()}


# ---------------------------------------------------------------------- table
def machine_line(threads):
    import platform

    cpu = platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu)
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    import torch

    return (f"Machine: {cpu}, {os.cpu_count()} cores, torch {torch.__version__}, {threads} threads, "
            f"python {platform.python_version()}, load average {', '.join(f'{v:.2f}' for v in load)}")


def print_rows(workload, medians):
    unit, scale = ("MiB", 1) if workload.startswith("memory") else ("s", 1) if workload == "import" \
        else ("ms", 1e3)
    base = medians.get("torch loop")
    tf = medians.get("tf-keras", medians.get("tf-keras (fp32)"))
    for label, value in medians.items():
        vs_torch = f"{value / base:.2f}x" if base else "-"
        vs_tf = f"{value / tf:.2f}x" if tf else "-"
        print(f"| {workload} | {label} | {value * scale:,.3f} {unit} | {vs_torch} | {vs_tf} |", flush=True)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    p.add_argument("--only", action="append", choices=ALL, help="run this workload (repeatable)")
    p.add_argument("--rounds", type=int, default=None, help="interleaved rounds (default 5, quick 2)")
    p.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS") or 2))
    p.add_argument("--no-keras", dest="keras", action="store_false", help="skip Keras 3")
    p.add_argument("--no-tf", dest="tf", action="store_false", help="skip tf-keras")
    p.add_argument("--tf-python", default=TF_PYTHON, help="a Python with tensorflow and tf_keras")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--memory-worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--lib", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.rounds = args.rounds or (2 if args.quick else 5)
    return args


def _available(args):
    if args.keras:
        args.keras = subprocess.run([sys.executable, "-c", "import keras"], capture_output=True,
                                    env=dict(os.environ, KERAS_BACKEND="torch")).returncode == 0
    if args.tf:
        args.tf = os.path.exists(args.tf_python) and subprocess.run(
            [args.tf_python, "-c", "import tf_keras"], capture_output=True,
            env=dict(os.environ, TF_USE_LEGACY_KERAS="1")).returncode == 0


def main(argv=None):
    args = parse_args(argv)
    if args.lib != "tf_keras":
        import torch

        torch.set_num_threads(args.threads)
    if args.worker:
        return worker_main(args)
    if args.memory_worker:
        return memory_main(args)
    _available(args)
    print(machine_line(args.threads))
    print("Contenders: torch loop, kerasish" + (", keras 3 (torch backend)" if args.keras else "")
          + (", tf-keras (subprocess)" if args.tf else "") + f"; rounds {args.rounds}"
          + (", quick sizes" if args.quick else ""))
    print("\n| workload | contender | median | ratio vs torch loop | ratio vs tf-keras |")
    print("|---|---|---|---|---|", flush=True)
    paired = []
    for workload in args.only or ALL:
        if workload == "memory":
            medians, growth = measure_memory(args)
            print_rows("memory growth in fit", growth)
        elif workload == "import":
            medians = measure_import(args)
        else:
            contenders = contenders_for(workload, args)
            samples = {}
            medians = interleave(contenders, args.rounds, samples=samples)
            for c in contenders.values():
                if isinstance(c, Worker):
                    c.close()
            paired.append((workload, wl.paired_ratios(samples, "kerasish", "torch loop")))
        print_rows(workload, medians)
    print("\n" + "\n".join(f"- {w}: {TITLES[w]}" for w in args.only or ALL))
    if paired:
        print("\nkerasish / torch loop within each round (median, min-max over the rounds):")
        for workload, (mid, low, high) in paired:
            print(f"- {workload}: {mid:.2f}x ({low:.2f}-{high:.2f}x)")


if __name__ == "__main__":
    main()
