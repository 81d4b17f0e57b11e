"""A transformer encoder block's training step: kerasish vs a hand-written torch loop (SDPA) vs
Keras 3 on torch, interleaved in one run, reported as ratios.

Workload (issue 16): Embedding(20000, 128) -> MultiHeadAttention(4 heads, key_dim 32) -> residual +
LayerNormalization -> FFN (Dense 256 relu, Dense 128) -> residual + LayerNormalization ->
GlobalAveragePooling1D -> Dense(1, sigmoid); binary cross-entropy, Adam, batch 32, length 200.

The torch loop is what a PyTorch user writes with the same maths: nn.Embedding, nn.Linear
projections, `F.scaled_dot_product_attention`, nn.LayerNorm(eps=1e-3), BCEWithLogitsLoss,
torch.optim.Adam, index-permutation batches, the loss summed on the device.

`--profile` (CUDA) runs a few kerasish steps under torch.profiler and lists the attention
kernels, failing unless a fused (flash / memory-efficient / cuDNN) SDPA kernel ran.

Usage: python benchmarks/bench_attention.py [--rounds 5] [--rows 640] [--device cpu|cuda]
                                            [--no-keras] [--profile] [--quick]
"""

import argparse
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "torch")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

VOCAB, LENGTH, DIM, HEADS, FFN, BATCH = 20000, 200, 128, 4, 256, 32
FUSED_KERNELS = ("flash", "efficient", "fmha", "cudnn", "attention_kernel", "mem_eff")


def make_data(rows):
    rng = np.random.default_rng(0)
    x = rng.integers(1, VOCAB, size=(rows, LENGTH)).astype("int64")
    return x, rng.integers(0, 2, size=(rows,)).astype("float32")


def keras_model(lib):
    """The encoder block in the Keras API (`lib` is kerasish, keras or tf_keras)."""
    lay = lib.layers
    inp = lib.Input((LENGTH,), dtype="int64")
    x = lay.Embedding(VOCAB, DIM)(inp)
    a = lay.MultiHeadAttention(num_heads=HEADS, key_dim=DIM // HEADS)(x, x)
    x = lay.LayerNormalization()(lay.Add()([x, a]))
    f = lay.Dense(DIM)(lay.Dense(FFN, activation="relu")(x))
    x = lay.LayerNormalization()(lay.Add()([x, f]))
    out = lay.Dense(1, activation="sigmoid")(lay.GlobalAveragePooling1D()(x))
    model = lib.Model(inp, out)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


def keras_contender(lib, x, y):
    from workloads import timed

    model = keras_model(lib)
    steps = (len(x) + BATCH - 1) // BATCH
    return lambda: timed(lambda: model.fit(x, y, epochs=1, batch_size=BATCH, verbose=0), steps)


def torch_module():
    import torch.nn.functional as F
    from torch import nn

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(VOCAB, DIM)
            self.q, self.k, self.v = (nn.Linear(DIM, DIM) for _ in range(3))
            self.o = nn.Linear(DIM, DIM)
            self.ln1, self.ln2 = nn.LayerNorm(DIM, eps=1e-3), nn.LayerNorm(DIM, eps=1e-3)
            self.ff1, self.ff2 = nn.Linear(DIM, FFN), nn.Linear(FFN, DIM)
            self.out = nn.Linear(DIM, 1)

        def heads(self, t):
            return t.view(t.shape[0], t.shape[1], HEADS, DIM // HEADS).transpose(1, 2)

        def forward(self, tokens):
            x = self.emb(tokens)
            q, k, v = self.heads(self.q(x)), self.heads(self.k(x)), self.heads(self.v(x))
            a = F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(x.shape)
            x = self.ln1(x + self.o(a))
            x = self.ln2(x + self.ff2(F.relu(self.ff1(x))))
            return self.out(x.mean(1)).squeeze(1)

    return Encoder()


def torch_contender(x, y, device):
    import torch
    import torch.nn.functional as F

    from workloads import timed

    model = torch_module().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    xt, yt = torch.from_numpy(x).to(device), torch.from_numpy(y).to(device)
    n = len(xt)
    steps = (n + BATCH - 1) // BATCH

    def epoch():
        model.train()
        total = torch.zeros((), device=device)
        perm = torch.randperm(n, device=device)
        for i in range(0, n, BATCH):
            idx = perm[i:i + BATCH]
            opt.zero_grad(set_to_none=True)
            loss = F.binary_cross_entropy_with_logits(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            total += loss.detach() * len(idx)
        return float(total) / n

    return lambda: timed(epoch, steps)


def contender(name, quick=False, device="cpu"):
    """`run()` for `run.py`: name is 'torch', 'kerasish', 'keras' or 'tf_keras'."""
    x, y = make_data(64 if quick else 640)
    if name == "torch":
        return torch_contender(x, y, device)
    if name == "kerasish":
        import kerasish as lib
    elif name == "keras":
        import keras as lib
    else:
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        import tf_keras as lib
    return keras_contender(lib, x, y)


def profile_kerasish(x, y):
    """Runs kerasish steps under the profiler; returns the attention kernels that ran."""
    import torch
    from torch.profiler import ProfilerActivity, profile

    import kerasish

    model = keras_model(kerasish)
    model.fit(x[:64], y[:64], epochs=1, batch_size=BATCH, verbose=0)
    cuda = torch.cuda.is_available()
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if cuda else [])
    with profile(activities=activities) as prof:
        model.fit(x[:128], y[:128], epochs=1, batch_size=BATCH, verbose=0)
        if cuda:
            torch.cuda.synchronize()
    names = {e.key for e in prof.key_averages()}
    sort = "cuda_time_total" if cuda else "cpu_time_total"
    print(prof.key_averages().table(sort_by=sort, row_limit=15))
    return sorted(n for n in names if "attention" in n.lower() or
                  any(k in n.lower() for k in FUSED_KERNELS))


def main():
    from common import interleave, machine_description, print_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rows", type=int, default=640)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--no-keras", action="store_true", help="skip real Keras")
    parser.add_argument("--profile", action="store_true", help="CUDA: show the SDPA kernel")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    os.environ["KERASISH_DEVICE"] = args.device
    import torch

    print(f"Machine: {machine_description()}, device {args.device}")
    x, y = make_data(64 if args.quick else args.rows)
    if args.profile:
        kernels = profile_kerasish(x, y)
        print("attention kernels:", kernels)
        fused = [k for k in kernels if any(f in k.lower() for f in FUSED_KERNELS)]
        if args.device == "cuda" and not fused:
            print("FAIL: no fused SDPA kernel ran")
            sys.exit(1)
        print("fused SDPA kernel:", fused)
    import kerasish

    contenders = {"torch loop (SDPA)": torch_contender(x, y, args.device),
                  "kerasish": keras_contender(kerasish, x, y)}
    if not args.no_keras:
        import keras

        with torch.device(args.device):
            contenders["keras 3 (torch)"] = keras_contender(keras, x, y)
    medians = interleave(contenders, args.rounds)
    print_table(f"Embedding({VOCAB}, {DIM}) -> MultiHeadAttention({HEADS} heads) -> FFN -> 2x "
                f"LayerNormalization -> pooling -> Dense, adam, batch {BATCH}, length {LENGTH}",
                medians, "torch loop (SDPA)", unit="ms")
    base = medians["torch loop (SDPA)"]
    if "keras 3 (torch)" in medians:
        print(f"\nkerasish is {medians['keras 3 (torch)'] / medians['kerasish']:.2f}x faster "
              f"than Keras 3; {medians['kerasish'] / base:.2f}x the torch loop")


if __name__ == "__main__":
    main()
