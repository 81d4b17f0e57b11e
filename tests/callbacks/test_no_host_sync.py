"""With only epoch-level built-in callbacks, the training loop reads no number per step."""

import numpy as np
import pytest
import torch

from kerasish import callbacks
from kerasish.trainers import logs as logs_module

from tests.callbacks.helpers import tiny_model

_SYNC_METHODS = ("item", "tolist", "cpu", "numpy", "__float__", "__bool__")


def _count_syncs(monkeypatch, fn, host_side=()):
    """Runs `fn`, counting LazyLogs reads and tensor -> host conversions. Tensors in `host_side`
    live on the CPU even when training on a GPU (the optimizer's learning rate), so reading them
    is no device sync and is not counted."""
    skip = {id(t) for t in host_side}
    counts = {"lazy_reads": 0, "host": 0}
    real_get = logs_module.LazyLogs._get

    def counting_get(self):
        counts["lazy_reads"] += 1
        return real_get(self)

    monkeypatch.setattr(logs_module.LazyLogs, "_get", counting_get)
    for name in _SYNC_METHODS:
        real = getattr(torch.Tensor, name)

        def wrapper(self, *a, __real=real, **k):
            counts["host"] += id(self) not in skip
            return __real(self, *a, **k)

        monkeypatch.setattr(torch.Tensor, name, wrapper)
    try:
        fn()
    finally:
        monkeypatch.undo()
    return counts


@pytest.mark.parametrize("verbose", [0, 2])
def test_epoch_level_callbacks_make_no_per_step_sync(tmp_path, monkeypatch, verbose, capsys):
    rng = np.random.default_rng(0)
    saved = []

    def fit(n_samples):
        x = rng.normal(size=(n_samples, 4)).astype("float32")
        y = rng.normal(size=(n_samples, 1)).astype("float32")
        model = tiny_model()
        model(torch.zeros(1, 4))
        model.save_weights = lambda path, overwrite=True: saved.append(path)
        cbs = [callbacks.EarlyStopping(monitor="loss", patience=5),
               callbacks.ModelCheckpoint(str(tmp_path / "w{epoch}.weights.h5"), save_weights_only=True),
               callbacks.CSVLogger(str(tmp_path / "log.csv"))]
        return model, lambda: model.fit(x, y, batch_size=4, epochs=2, verbose=verbose, shuffle=False,
                                        callbacks=cbs)

    model, run = fit(80)
    short = _count_syncs(monkeypatch, run, [model.optimizer.learning_rate])  # 20 steps per epoch
    model, run = fit(160)
    long = _count_syncs(monkeypatch, run, [model.optimizer.learning_rate])   # 40 steps per epoch
    assert short["lazy_reads"] == 0 and long["lazy_reads"] == 0
    # Host reads happen per epoch (epoch logs), never per step: doubling the steps adds none.
    assert short["host"] == long["host"]
    assert short["host"] <= 3 * 2  # a few reads per epoch at most (2 epochs)
    assert len(saved) == 4  # the checkpoint did run every epoch


def test_a_batch_level_callback_does_read(monkeypatch):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(80, 4)).astype("float32")
    y = rng.normal(size=(80, 1)).astype("float32")
    model = tiny_model()
    losses = []
    cb = callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: losses.append(logs["loss"]))
    counts = _count_syncs(monkeypatch, lambda: model.fit(x, y, batch_size=4, verbose=0, callbacks=[cb]))
    assert counts["lazy_reads"] == 20 and len(losses) == 20
