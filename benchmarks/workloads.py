"""The workloads of `run.py`, one builder per (workload, contender kind).

Each builder returns `run()`, which trains (or predicts) once and returns seconds per step. The
Keras-API builders take the library as `lib` (kerasish, keras, tf_keras), so every Keras-like
contender runs the very same code. This module imports only numpy at the top, so a tf-keras
worker (a Python without torch) can import it.
"""

import os
import statistics
import time

import numpy as np

# name -> (rows, quick rows, batch size)
SIZES = {
    "seed_mlp": (1000, 256, 32),
    "mnist_mlp": (12800, 1280, 128),
    "mnist_cnn": (2560, 256, 128),
    "mnist_cnn_bf16": (2560, 256, 128),
    "lstm": (640, 128, 32),
    "predict": (100_000, 5000, 128),
}
VOCAB, LENGTH, UNITS = 20000, 80, 128


# Real digits matter for the MNIST workloads: their many exact zeros drive optimizer state into
# denormal floats, which is what slows a default torch loop on real MNIST (random data hides it).
MNIST_SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "kerasish",
                            "datasets", "data", "mnist_5k.npz")


def _mnist(rows):
    """`rows` real MNIST digits (the bundled 5,000-digit sample, repeated), scaled to [0, 1]."""
    with np.load(MNIST_SAMPLE) as data:
        x, y = data["x_train"], data["y_train"]
    reps = -(-rows // len(x))
    x = np.tile(x, (reps, 1, 1))[:rows].astype(np.float32) / 255.0
    y = np.tile(y, reps)[:rows]
    return x, np.eye(10, dtype="float32")[y]


def make_data(workload, quick):
    """Inputs of the workload's shape and one-hot (or binary) targets; nothing downloads.

    The MNIST workloads use real digits; the others random data of the right shape."""
    rows = SIZES[workload][1 if quick else 0]
    rng = np.random.default_rng(0)
    if workload.startswith("mnist"):
        x, y = _mnist(rows)
        return (x[..., None] if workload.startswith("mnist_cnn") else x.reshape(rows, 784)), y
    if workload == "seed_mlp":
        x = rng.random((rows, 100), dtype=np.float32)
    elif workload == "lstm":
        x = rng.integers(1, VOCAB, size=(rows, LENGTH)).astype("int64")
        return x, rng.integers(0, 2, size=(rows,)).astype("float32")
    elif workload.startswith("mnist_cnn"):
        x = rng.random((rows, 28, 28, 1), dtype=np.float32)
    else:
        x = rng.random((rows, 784), dtype=np.float32)
    return x, np.eye(10, dtype="float32")[rng.integers(10, size=rows)]


def timed(fn, steps):
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) / steps


def interleave(contenders, rounds, warmup=1, samples=None):
    """Runs each contender's `run()` (seconds per step) round-robin and returns the medians:
    interleaving spreads machine noise over every contender instead of one. `samples`, a dict,
    receives every round's measurements."""
    for _ in range(warmup):
        for c in contenders.values():
            c()
    samples = {} if samples is None else samples
    samples.update({name: [] for name in contenders})
    for _ in range(rounds):
        for name, c in contenders.items():
            samples[name].append(c())
    return {name: statistics.median(v) for name, v in samples.items()}


def paired_ratios(samples, name, base):
    """`name`'s time over `base`'s within each round: the rounds' contenders ran back to back, so
    these ratios shrug off the machine's slow drifts. Returns (median, min, max)."""
    ratios = sorted(a / b for a, b in zip(samples[name], samples[base]))
    return statistics.median(ratios), ratios[0], ratios[-1]


# ---------------------------------------------------------------------- Keras-API contenders
def _seed_mlp(lib):
    return [lib.Input((100,)), lib.layers.Dense(32, activation="relu"),
            lib.layers.Dense(10, activation="softmax")], "rmsprop", "categorical_crossentropy"


def _mnist_mlp(lib):
    d = lib.layers
    return [lib.Input((784,)), d.Dense(512, activation="relu"), d.Dropout(0.2),
            d.Dense(512, activation="relu"), d.Dropout(0.2), d.Dense(10, activation="softmax")], \
        "rmsprop", "categorical_crossentropy"


def _mnist_cnn(lib):
    d = lib.layers
    return [lib.Input((28, 28, 1)), d.Conv2D(32, (3, 3), activation="relu"),
            d.Conv2D(64, (3, 3), activation="relu"), d.MaxPooling2D((2, 2)), d.Dropout(0.25),
            d.Flatten(), d.Dense(128, activation="relu"), d.Dropout(0.5),
            d.Dense(10, activation="softmax")], "adam", "categorical_crossentropy"


def _lstm(lib):
    d = lib.layers
    return [lib.Input((LENGTH,), dtype="int64"), d.Embedding(VOCAB, UNITS), d.LSTM(UNITS),
            d.Dense(1, activation="sigmoid")], "adam", "binary_crossentropy"


KERAS_MODELS = {"seed_mlp": _seed_mlp, "mnist_mlp": _mnist_mlp, "mnist_cnn": _mnist_cnn,
                "mnist_cnn_bf16": _mnist_cnn, "lstm": _lstm, "predict": _mnist_mlp}


def keras_contender(lib, workload, quick, policy=None):
    """`model.fit` for one epoch (or `predict` on every row) with `lib`'s Keras API."""
    x, y = make_data(workload, quick)
    batch = SIZES[workload][2]
    if policy:
        lib.mixed_precision.set_global_policy(policy)
    try:
        layers, optimizer, loss = KERAS_MODELS[workload](lib)
        model = lib.Sequential(layers)
    finally:
        if policy:
            lib.mixed_precision.set_global_policy("float32")
    model.compile(optimizer=optimizer, loss=loss, metrics=None if workload == "lstm" else ["accuracy"])
    steps = (len(x) + batch - 1) // batch
    if workload == "predict":
        return lambda: timed(lambda: model.predict(x, batch_size=batch, verbose=0), steps)
    return lambda: timed(lambda: model.fit(x, y, epochs=1, batch_size=batch, verbose=0), steps)


# ---------------------------------------------------------------------- hand-written torch loops
def _torch_module(workload):
    import torch
    from torch import nn

    if workload == "seed_mlp":
        return nn.Sequential(nn.Linear(100, 32), nn.ReLU(), nn.Linear(32, 10))
    if workload in ("mnist_mlp", "predict"):
        return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 512),
                             nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 10))
    if workload.startswith("mnist_cnn"):
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(), nn.Linear(9216, 128),
                             nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb, self.rnn = nn.Embedding(VOCAB, UNITS), nn.LSTM(UNITS, UNITS, batch_first=True)
            self.out = nn.Linear(UNITS, 1)

        def forward(self, x):
            seq, _ = self.rnn(self.emb(x))
            return self.out(seq[:, -1]).squeeze(1)

    del torch
    return Classifier()


def _torch_inputs(workload, quick):
    import torch

    x, y = make_data(workload, quick)
    xt = torch.from_numpy(x)
    if workload.startswith("mnist_cnn"):
        xt = xt.permute(0, 3, 1, 2).contiguous()  # what a PyTorch user feeds: NCHW
    yt = torch.from_numpy(y) if workload == "lstm" else torch.from_numpy(y.argmax(1))
    return xt, yt


def torch_contender(workload, quick, bf16=False):
    """What a PyTorch user writes: nn modules, torch.optim, F.cross_entropy on logits,
    index-permutation batches, loss and accuracy summed on the device, one sync per epoch."""
    import torch
    import torch.nn.functional as F

    model = _torch_module(workload)
    xt, yt = _torch_inputs(workload, quick)
    n, batch = len(xt), SIZES[workload][2]
    steps = (n + batch - 1) // batch
    if workload == "predict":
        return _torch_predict(model, xt, batch, steps)
    opt_cls = torch.optim.RMSprop if workload.endswith("mlp") else torch.optim.Adam
    opt = opt_cls(model.parameters(), lr=1e-3)
    loss_fn = F.binary_cross_entropy_with_logits if workload == "lstm" else F.cross_entropy

    # The Keras-API contenders compile with metrics=["accuracy"] (all but the LSTM), so this loop
    # tracks accuracy too: the same work for the same epoch report.
    track_accuracy = workload != "lstm"

    def epoch():
        model.train()
        total = torch.zeros(())
        correct = torch.zeros((), dtype=torch.int64)
        perm = torch.randperm(n)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            xb, yb = xt[idx], yt[idx]
            opt.zero_grad(set_to_none=True)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                out = model(xb)
            loss = loss_fn(out.float(), yb)
            loss.backward()
            opt.step()
            total += loss.detach() * len(idx)
            if track_accuracy:
                correct += (out.detach().argmax(1) == yb).sum()
        return float(total) / n, int(correct) / n

    return lambda: timed(epoch, steps)


def _torch_predict(model, xt, batch, steps):
    import torch

    def run():
        model.eval()
        outs = []
        with torch.inference_mode():
            for i in range(0, len(xt), batch):
                outs.append(model(xt[i:i + batch]).softmax(1))  # Keras's model ends in softmax
        return torch.cat(outs).numpy()

    return lambda: timed(run, steps)
