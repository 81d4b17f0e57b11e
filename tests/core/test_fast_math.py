"""Denormals are flushed inside kerasish's loops only, and the previous mode comes back."""

import os
import subprocess
import sys

import numpy as np
import pytest
import torch

import kerasish
from kerasish.trainers.fast_math import _flush_denormal_enabled


class Probe(kerasish.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        self.seen = _flush_denormal_enabled()


def _model():
    model = kerasish.Sequential([kerasish.Input((4,)), kerasish.layers.Dense(2)])
    model.compile("rmsprop", "mse")
    return model


def test_flush_denormal_inside_fit_only(monkeypatch):
    probe = Probe()
    assert not _flush_denormal_enabled()
    _model().fit(np.ones((8, 4)), np.ones((8, 2)), verbose=0, callbacks=[probe])
    assert probe.seen is True
    assert not _flush_denormal_enabled()


def test_user_setting_is_kept_and_opt_out(monkeypatch):
    torch.set_flush_denormal(True)
    try:
        _model().fit(np.ones((8, 4)), np.ones((8, 2)), verbose=0)
        assert _flush_denormal_enabled()
    finally:
        torch.set_flush_denormal(False)
    monkeypatch.setenv("KERASISH_FLUSH_DENORMAL", "0")
    probe = Probe()
    _model().fit(np.ones((8, 4)), np.ones((8, 2)), verbose=0, callbacks=[probe])
    assert probe.seen is False


# Each of torch's OpenMP threads multiplies its own chunk of two large tensors of normal floats
# whose products are denormal, so the fraction of products flushed to zero is the fraction of the
# work done by threads that flush: 0, 1/2 or 1 with two threads. A fresh process per scenario,
# since a thread pool keeps the mode it was made with.
_POOL_SCRIPT = r"""
import sys
import numpy as np
import torch
torch.set_num_threads(2)
import kerasish

def flushed_fraction():
    a, b = torch.full((1 << 20,), 1e-20), torch.full((1 << 20,), 1e-19)
    return float(((a * b) == 0).float().mean())

class Probe(kerasish.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        self.during = flushed_fraction()

if sys.argv[1] == "pool-first":
    torch.ones(1 << 18).add_(1)  # the pool exists, not flushing, before fit
model = kerasish.Sequential([kerasish.Input((4,)), kerasish.layers.Dense(2)])
model.compile("rmsprop", "mse")
probe = Probe()
model.fit(np.ones((8, 4)), np.ones((8, 2)), verbose=0, callbacks=[probe])
print(probe.during, flushed_fraction())
"""


@pytest.mark.parametrize("scenario", ["pool-first", "pool-inside-fit"])
def test_every_pool_thread_flushes_in_fit_and_is_restored(scenario):
    env = dict(os.environ, OMP_NUM_THREADS="2")
    env.pop("KERASISH_FLUSH_DENORMAL", None)
    out = subprocess.run([sys.executable, "-c", _POOL_SCRIPT, scenario], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    during, after = (float(v) for v in out.stdout.split())
    assert during == 1.0, "every thread flushes denormals inside fit"
    assert after == 0.0, "no thread keeps flushing after fit"


def test_without_libgomp_the_calling_thread_flushes_and_is_restored(monkeypatch):
    from kerasish.trainers import fast_math

    monkeypatch.setattr(fast_math, "_pool_environment", False)  # as where torch has no libgomp
    probe = Probe()
    assert not _flush_denormal_enabled()
    _model().fit(np.ones((8, 4)), np.ones((8, 2)), verbose=0, callbacks=[probe])
    assert probe.seen is True
    assert not _flush_denormal_enabled()
