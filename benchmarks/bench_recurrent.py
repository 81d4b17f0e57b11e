"""kerasish LSTM/GRU text classifiers vs the hand-written torch `nn.LSTM`/`nn.GRU` loop (and Keras 3
on torch), interleaved in one run.

Workload (Keras's imdb_lstm shape, per training step, CPU): Embedding(vocab, 128) -> LSTM(128) (or
GRU(128)) -> Dense(1, sigmoid), binary cross-entropy, Adam, batch 32, sequences of length 80.

The torch loop is what a PyTorch user writes: nn.Embedding -> nn.LSTM(batch_first=True) -> last
hidden state -> nn.Linear, BCEWithLogitsLoss, torch.optim.Adam, index-permutation batches, the loss
accumulated on the device.

Usage: python benchmarks/bench_recurrent.py [--rounds 5] [--rows 640] [--vocab 20000] [--no-keras]
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

BATCH, LENGTH, UNITS = 32, 80, 128


class TorchClassifier(nn.Module):
    def __init__(self, vocab, rnn_cls):
        super().__init__()
        self.emb = nn.Embedding(vocab, UNITS)
        self.rnn = rnn_cls(UNITS, UNITS, batch_first=True)
        self.out = nn.Linear(UNITS, 1)

    def forward(self, x):
        seq, _ = self.rnn(self.emb(x))
        return self.out(seq[:, -1]).squeeze(1)


def torch_loop(x, y, vocab, rnn_cls):
    model = TorchClassifier(vocab, rnn_cls)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    n = len(xt)
    steps = (n + BATCH - 1) // BATCH

    def epoch():
        total = torch.zeros(())
        perm = torch.randperm(n)
        for i in range(0, n, BATCH):
            idx = perm[i:i + BATCH]
            opt.zero_grad(set_to_none=True)
            loss = F.binary_cross_entropy_with_logits(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            total += loss.detach() * len(idx)
        return float(total) / n

    return lambda: timed(epoch, steps)


def keras_like(lib, x, y, vocab, rnn_name):
    model = lib.Sequential([lib.Input((LENGTH,), dtype="int64"), lib.layers.Embedding(vocab, UNITS),
                            getattr(lib.layers, rnn_name)(UNITS),
                            lib.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    steps = (len(x) + BATCH - 1) // BATCH
    return lambda: timed(lambda: model.fit(x, y, epochs=1, batch_size=BATCH, verbose=0), steps)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rows", type=int, default=640)
    parser.add_argument("--vocab", type=int, default=20000)
    parser.add_argument("--no-keras", action="store_true", help="skip real Keras")
    args = parser.parse_args()
    print(f"Machine: {machine_description()}")
    rng = np.random.default_rng(0)
    x = rng.integers(1, args.vocab, size=(args.rows, LENGTH)).astype("int64")
    y = rng.integers(0, 2, size=(args.rows,)).astype("float32")
    for rnn_name, rnn_cls in (("LSTM", nn.LSTM), ("GRU", nn.GRU)):
        contenders = {
            "torch loop": torch_loop(x, y, args.vocab, rnn_cls),
            "kerasish": keras_like(kerasish, x, y, args.vocab, rnn_name),
        }
        if not args.no_keras:
            import keras

            contenders["keras 3 (torch)"] = keras_like(keras, x, y, args.vocab, rnn_name)
        medians = interleave(contenders, args.rounds)
        print_table(f"Embedding({args.vocab}, 128) -> {rnn_name}(128) -> Dense(1, sigmoid), adam, "
                    f"batch {BATCH}, length {LENGTH}", medians, "torch loop", unit="ms")


if __name__ == "__main__":
    main()
