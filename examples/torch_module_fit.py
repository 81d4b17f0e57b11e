"""PyTorch interop both ways.

1. A plain `torch.nn.Module`, unchanged, trained with Keras's `compile`/`fit`/`evaluate`/`predict`
   through `kerasish.Model.from_torch(module)`.
2. `torch.nn` modules used as layers inside Sequential and functional models.
3. A kerasish model trained by a hand-written torch loop (it is a plain `nn.Module`).

Run: `python examples/torch_module_fit.py`.
"""

import numpy as np
import torch
from torch import nn

import kerasish
from kerasish.layers import Dense, Input, TorchModuleWrapper


class TorchRegressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.net(x)


def data(n=512):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 8)).astype("float32")
    return x, (x @ rng.normal(size=(8, 1))).astype("float32")


def fit_torch_module(epochs=3, verbose=0):
    x, y = data()
    model = kerasish.Model.from_torch(TorchRegressor())
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=epochs, batch_size=32, verbose=verbose)
    return history, model.evaluate(x, y, verbose=0), model.predict(x[:4], verbose=0)


def torch_layers_in_keras_models():
    seq = kerasish.Sequential([Input((8,)), nn.Linear(8, 16), nn.Tanh(), Dense(1)])
    inputs = Input((8,))
    hidden = TorchModuleWrapper(nn.Linear(8, 16))(inputs)
    functional = kerasish.Model(inputs, Dense(1)(hidden))
    return seq, functional


def hand_written_loop(steps=20):
    x, y = data()
    model = kerasish.Sequential([Input((8,)), Dense(16, activation="relu"), Dense(1)])
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(xt), yt)
        loss.backward()
        opt.step()
        losses.append(loss.detach())
    return torch.stack(losses).numpy()


if __name__ == "__main__":
    hist, scores, _ = fit_torch_module(verbose=2)
    print("evaluate:", scores)
    seq, functional = torch_layers_in_keras_models()
    seq.summary()
    functional.summary()
    print("hand-written loop losses:", hand_written_loop()[[0, -1]])
