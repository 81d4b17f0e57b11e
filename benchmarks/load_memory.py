"""Peak memory of reading `.keras` files: a normal model and two 1 GiB decompression bombs.

Each case runs `load_model` in a fresh process and reports how far its peak resident memory
(`VmHWM`, reset before the call) rose above its resident memory before the call, so the figures
exclude the cost of importing torch and kerasish. (`ru_maxrss` would not do: a child inherits its
parent's peak.)

Cases:
- `model`: a Dense stack with about `--mib` MiB of float32 weights, saved by kerasish (stored zip).
- `model (deflated)`: the same file re-zipped with DEFLATE (as a user's zip tool might).
- `config bomb`: a ~1 MiB archive whose `config.json` inflates to 1 GiB of whitespace.
- `weights bomb`: a valid config and a `model.weights.h5` that inflates to 1 GiB.

Usage: python benchmarks/load_memory.py [--mib 200] [--repo PATH_TO_KERASISH_CHECKOUT]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

_LOAD = r"""
import sys
import kerasish

def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(key + ":")) / 1024

try:  # resets the peak (VmHWM) to the current RSS; ru_maxrss would carry the parent's peak
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
except OSError:
    pass  # then the peak includes the import's: an over-estimate
before = status("VmRSS")
try:
    kerasish.models.load_model(sys.argv[1])
    outcome = "loaded"
except ValueError as e:
    outcome = "refused"
print(outcome, status("VmHWM") - before)
"""


def _measure(repo, path):
    env = dict(os.environ, PYTHONPATH=repo, OMP_NUM_THREADS="1", KERASISH_DEVICE="cpu")
    out = subprocess.run([sys.executable, "-c", _LOAD, path], env=env, capture_output=True, cwd=repo,
                         text=True, check=True).stdout.split()
    return out[0], float(out[1])


def _make_files(folder, mib):
    import kerasish
    from tests.reliability.test_hostile_files import _deflate_bomb

    width = 1024
    depth = max(1, int(mib * (1 << 20) / (4 * width * width)))
    model = kerasish.Sequential([kerasish.Input((width,))] +
                                [kerasish.layers.Dense(width) for _ in range(depth)])
    path = os.path.join(folder, "model.keras")
    model.save(path)
    with zipfile.ZipFile(path) as z:
        members = {name: z.read(name) for name in z.namelist()}
    deflated = os.path.join(folder, "deflated.keras")
    with zipfile.ZipFile(deflated, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    import pathlib

    folder = pathlib.Path(folder)
    small = kerasish.Sequential([kerasish.Input((3,)), kerasish.layers.Dense(2)])
    small.save(folder / "small.keras")
    with zipfile.ZipFile(folder / "small.keras") as z:
        config = z.read("config.json")
    config_bomb = _deflate_bomb(folder / "config_bomb.keras", {}, "config.json")
    weights_bomb = _deflate_bomb(folder / "weights_bomb.keras", {"config.json": config},
                                 "model.weights.h5", fill=b"\0")
    return {f"model ({os.path.getsize(path) >> 20} MiB)": path, "model (deflated)": deflated,
            f"config bomb ({os.path.getsize(config_bomb) >> 10} KiB file)": str(config_bomb),
            f"weights bomb ({os.path.getsize(weights_bomb) >> 10} KiB file)": str(weights_bomb)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=200)
    parser.add_argument("--repo", default=os.path.dirname(HERE))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files = _make_files(folder, args.mib)
        print(f"kerasish from {args.repo}\n\n| file | outcome | peak RSS growth (MiB) |\n|---|---|---|")
        for name, path in files.items():
            outcome, growth = _measure(args.repo, path)
            print(f"| {name} | {outcome} | {growth:.0f} |")


if __name__ == "__main__":
    main()
