"""Input pipeline: `image_dataset_from_directory` + Rescaling + RandomFlip + RandomRotation over
2,000 JPEGs (written by this script), batches per second, side by side in one run:

- kerasish: `image_dataset_from_directory(...).map(augment, num_parallel_calls=AUTOTUNE).prefetch(AUTOTUNE)`,
  the keras.io image-classification recipe, with kerasish's preprocessing layers;
- PIL + torch DataLoader: a map-style `Dataset` decoding with Pillow and resizing with Pillow
  (`num_workers` = CPUs, persistent workers), augmenting with torch ops either each image in the
  workers (torchvision's way) or each batch in the main process;
- torchvision ImageFolder + DataLoader (`transforms.Resize`, `RandomHorizontalFlip`,
  `RandomRotation`), when torchvision imports;
- Keras 3 on TensorFlow with tf.data (the same recipe), when `--tf-python` names a Python with
  TensorFlow and Keras 3 (run in a subprocess), else reported as not installed.

Every contender makes float32 `(32, 180, 180, 3)` batches (NHWC; torchvision's are NCHW, as it
makes them) with labels, of images resized to 180x180, scaled to [0, 1], flipped at random and
rotated by up to +-10% of a turn. Each round runs one epoch (63 batches) of every contender,
round-robin (tf.data's too: its subprocess runs one epoch per request), after a warm-up epoch
each; the table gives the median batches/s, and the median CPU time per batch (the process's
threads plus its DataLoader workers), which a busy shared machine disturbs less than wall time.

    python benchmarks/bench_input_pipeline.py [--rounds 5] [--images 2000] [--workers N]
    python benchmarks/bench_input_pipeline.py --layers-only   # the three layers on one batch
"""

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # this checkout's kerasish

IMAGE_SIZE, BATCH, FACTOR = (180, 180), 32, 0.1


def make_jpegs(root, count, seed=0):
    """`count` JPEGs of varied sizes in two class folders: crops of a few smooth synthetic
    photos, resized (random noise would make decoding unrealistically slow)."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:480, 0:640].astype("float32")
    bases = []
    for _ in range(8):
        img = np.stack([np.sin(xx / rng.uniform(10, 60) + c) * 80 + np.cos(yy / rng.uniform(10, 60)) * 60 + 128
                        for c in range(3)], -1) + rng.normal(0, 6, (480, 640, 3))
        bases.append(Image.fromarray(np.clip(img, 0, 255).astype("uint8")))
    for i in range(count):
        cls = ("cats", "dogs")[i % 2]
        os.makedirs(os.path.join(root, cls), exist_ok=True)
        h, w = int(rng.integers(240, 400)), int(rng.integers(300, 500))
        top, left = int(rng.integers(0, 480 - h)), int(rng.integers(0, 640 - w))
        crop = bases[i % len(bases)].crop((left, top, left + w, top + h))
        crop.save(os.path.join(root, cls, f"{i:05d}.jpg"), quality=90)


def torch_augment(images, generator=None):
    """Rescaling(1/255) + RandomFlip("horizontal") + RandomRotation(0.1) (reflect fill, bilinear)
    on an NHWC float batch with torch ops, as the baselines do it."""
    n = images.shape[0]
    x = images * (1.0 / 255.0)
    flip = torch.rand(n, generator=generator) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(2), x)
    angle = (torch.rand(n, generator=generator) * 2 - 1) * FACTOR * 2 * math.pi
    cos, sin, zero = torch.cos(angle), torch.sin(angle), torch.zeros(n)
    theta = torch.stack([torch.stack([cos, -sin, zero], 1), torch.stack([sin, cos, zero], 1)], 1)
    nchw = x.permute(0, 3, 1, 2)
    grid = F.affine_grid(theta, list(nchw.shape), align_corners=False)
    out = F.grid_sample(nchw, grid, mode="bilinear", padding_mode="reflection", align_corners=False)
    return out.permute(0, 2, 3, 1)


# ---------------------------------------------------------------------- contenders
def kerasish_pipeline(root):
    import kerasish
    from kerasish.utils.dataset import AUTOTUNE

    layers = kerasish.layers
    names = ("Rescaling", "RandomFlip", "RandomRotation")
    if all(hasattr(layers, n) for n in names):
        augment = kerasish.Sequential([layers.Rescaling(1.0 / 255), layers.RandomFlip("horizontal"),
                                       layers.RandomRotation(FACTOR)])
        how = "kerasish layers"

        def fn(x, y):
            return augment(x, training=True), y
    else:
        how = "torch ops (missing layers: " + ", ".join(n for n in names if not hasattr(layers, n)) + ")"

        def fn(x, y):
            return torch_augment(x), y
    ds = kerasish.utils.image_dataset_from_directory(root, image_size=IMAGE_SIZE, batch_size=BATCH, seed=1,
                                                     verbose=False)
    ds = ds.map(fn, num_parallel_calls=AUTOTUNE).prefetch(AUTOTUNE)
    return ds, how


class PILImages(torch.utils.data.Dataset):
    def __init__(self, root, augment=True):
        self.augment = augment
        self.items = [(os.path.join(root, c, f), i) for i, c in enumerate(sorted(os.listdir(root)))
                      for f in sorted(os.listdir(os.path.join(root, c)))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        from PIL import Image

        path, label = self.items[index]
        with Image.open(path) as img:
            img = img.convert("RGB").resize(IMAGE_SIZE[::-1], Image.Resampling.BILINEAR)
            x = torch.from_numpy(np.array(img)).float()
        return (torch_augment(x[None])[0] if self.augment else x), label


def pil_loader(root, workers):
    return torch.utils.data.DataLoader(PILImages(root), batch_size=BATCH, shuffle=True, num_workers=workers,
                                       persistent_workers=workers > 0)


class _BatchAugmented:
    """A DataLoader of unaugmented images, augmented a batch at a time in the main process."""

    def __init__(self, loader):
        self.loader = loader

    def __iter__(self):
        for x, y in self.loader:
            yield torch_augment(x), y


def pil_batch_loader(root, workers):
    return _BatchAugmented(torch.utils.data.DataLoader(PILImages(root, augment=False), batch_size=BATCH,
                                                       shuffle=True, num_workers=workers,
                                                       persistent_workers=workers > 0))


def torchvision_loader(root, workers):
    try:
        from torchvision import datasets, transforms
    except Exception as e:  # noqa: BLE001  (a torchvision built for another torch fails in many ways)
        return None, f"not available ({type(e).__name__}: {str(e).splitlines()[0][:80]})"
    tf = transforms.Compose([transforms.Resize(IMAGE_SIZE), transforms.RandomHorizontalFlip(),
                             transforms.RandomRotation(FACTOR * 360), transforms.ToTensor()])
    loader = torch.utils.data.DataLoader(datasets.ImageFolder(root, tf), batch_size=BATCH, shuffle=True,
                                         num_workers=workers, persistent_workers=workers > 0)
    return loader, "ok"


_TF_SCRIPT = r"""
import os, sys, time
os.environ["KERAS_BACKEND"] = "tensorflow"
import tensorflow as tf, keras
root = sys.argv[1]
aug = keras.Sequential([keras.layers.Rescaling(1 / 255), keras.layers.RandomFlip("horizontal"),
                        keras.layers.RandomRotation(0.1)])
ds = keras.utils.image_dataset_from_directory(root, image_size=(180, 180), batch_size=32, seed=1, verbose=False)
ds = ds.map(lambda x, y: (aug(x, training=True), y), num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)
def epoch():
    t, c = time.perf_counter(), time.process_time(); n = sum(1 for _ in ds)
    return n / (time.perf_counter() - t), (time.process_time() - c) / n
epoch()
print("READY", tf.__version__, keras.__version__, flush=True)
for line in sys.stdin:  # one epoch per request, so its epochs interleave with the others'
    print("RATE %f %f" % epoch(), flush=True)
os._exit(0)  # TensorFlow's thread pools can hang an ordinary interpreter exit
"""


class TFWorker:
    """Keras 3 + tf.data in a subprocess (a Python with TensorFlow), one epoch per call, so its
    epochs take their turn in the rounds like the in-process contenders."""

    def __init__(self, python, root):
        self.proc, self.status = None, "not installed"
        if not python or not os.path.exists(python):
            return
        self.proc = subprocess.Popen([python, "-c", _TF_SCRIPT, root], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                     env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
        line = self.proc.stdout.readline().split()
        if not line or line[0] != "READY":
            self.proc, self.status = None, "failed to start"
            return
        self.status = f"TensorFlow {line[1]}, Keras {line[2]}"

    def epoch(self):
        """(batches/s, CPU ms per batch) of one epoch."""
        self.proc.stdin.write("epoch\n")
        self.proc.stdin.flush()
        _, rate, cpu = self.proc.stdout.readline().split()
        return float(rate), 1000 * float(cpu)

    def close(self):
        if self.proc is not None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _worker_pids(loader):
    it = getattr(loader, "_iterator", None) or getattr(getattr(loader, "loader", None), "_iterator", None)
    return [w.pid for w in getattr(it, "_workers", [])]


def _cpu_seconds(pids):
    """CPU time of this process (all its threads) plus the given worker processes."""
    t = os.times()
    total = t.user + t.system
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
    return total


def epoch_rate(iterable):
    """(batches/s, CPU ms per batch over the process and its DataLoader workers) of one epoch."""
    pids = _worker_pids(iterable)
    t0, c0 = time.perf_counter(), _cpu_seconds(pids)
    n = 0
    for batch in iterable:
        n += 1
    return n / (time.perf_counter() - t0), 1000 * (_cpu_seconds(pids) - c0) / n


def layer_times(calls=20):
    """Milliseconds per 32x180x180x3 batch (one thread, medians of interleaved calls) of the
    kerasish layers, together and one by one, against the baselines' `torch_augment`."""
    import kerasish

    torch.set_num_threads(1)
    layers = kerasish.layers
    aug = kerasish.Sequential([layers.Rescaling(1.0 / 255), layers.RandomFlip("horizontal"),
                               layers.RandomRotation(FACTOR)])
    rescale, flip, rotate = aug.layers
    x = torch.rand(BATCH, *IMAGE_SIZE, 3) * 255
    y = x / 255
    jobs = {"kerasish (the three layers)": lambda: aug(x, training=True),
            "torch_augment (hand-written torch ops)": lambda: torch_augment(x),
            "Rescaling": lambda: rescale(x, training=True),
            "RandomFlip": lambda: flip(y, training=True),
            "RandomRotation": lambda: rotate(y, training=True)}
    times = {name: [] for name in jobs}
    with torch.no_grad():
        for job in jobs.values():
            job()
        for _ in range(calls):
            for name, job in jobs.items():
                t0 = time.perf_counter()
                job()
                times[name].append(1000 * (time.perf_counter() - t0))
    for name, values in times.items():
        print(f"{name}: median {statistics.median(values):.1f} ms, min {min(values):.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--tf-python", default="/tmp/tfk3env/bin/python")
    parser.add_argument("--layers-only", action="store_true",
                        help="time the augmentation layers on one batch instead")
    args = parser.parse_args()
    if args.layers_only:
        return layer_times()
    root = tempfile.mkdtemp(prefix="kerasish_bench_images_")
    t0 = time.perf_counter()
    make_jpegs(root, args.images)
    print(f"{args.images} JPEGs written in {time.perf_counter() - t0:.1f} s; {os.cpu_count()} CPUs, "
          f"torch {torch.__version__}, {args.workers} DataLoader workers")
    ours, how = kerasish_pipeline(root)
    contenders = {"kerasish (image_dataset_from_directory + map + prefetch)": ours,
                  "PIL + DataLoader (augment per image in workers)": pil_loader(root, args.workers),
                  "PIL + DataLoader (augment per batch in main process)": pil_batch_loader(root, args.workers)}
    tv, tv_status = torchvision_loader(root, args.workers)
    if tv is not None:
        contenders["torchvision ImageFolder + DataLoader"] = tv
    tf = TFWorker(args.tf_python, root)
    if tf.proc is not None:
        contenders["Keras 3 + tf.data (TensorFlow backend, subprocess)"] = tf
    rates = {name: [] for name in contenders}
    cpus = {name: [] for name in contenders}
    run = lambda it: it.epoch() if isinstance(it, TFWorker) else epoch_rate(it)  # noqa: E731
    for it in contenders.values():
        run(it)  # warm-up: page cache, worker start-up
    for _ in range(args.rounds):  # interleaved: every contender's epoch in turn, each round
        for name, it in contenders.items():
            rate, cpu = run(it)
            rates[name].append(rate)
            cpus[name].append(cpu)
    tf.close()
    print(f"kerasish augmentation: {how}; torchvision: {tv_status}; Keras 3 + tf.data: {tf.status}\n")
    print("| pipeline | batches/s (median) | min-max | vs kerasish | CPU ms/batch (median) |")
    print("|---|---|---|---|---|")
    base = statistics.median(rates[next(iter(rates))])
    for name, values in rates.items():
        med = statistics.median(values)
        print(f"| {name} | {med:.2f} | {min(values):.2f}-{max(values):.2f} | {med / base:.2f}x | "
              f"{statistics.median(cpus[name]):.0f} |")
    if tf.proc is None:
        print(f"| Keras 3 + tf.data | {tf.status} | | | |")
    if tv is None:
        print(f"| torchvision ImageFolder + DataLoader | {tv_status} | | | |")


if __name__ == "__main__":
    main()
