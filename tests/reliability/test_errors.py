"""What a user sees when something goes wrong inside `fit`/`evaluate`/`predict`: the Keras message
alone with a short traceback, warnings that point at their own line, and a process left as it was."""

import os
import subprocess
import sys
import traceback
import warnings

import numpy as np
import pytest

import kerasish
from kerasish.trainers.fast_math import _flush_denormal_enabled

KERASISH_DIR = os.path.dirname(kerasish.__file__)
X = np.random.default_rng(0).random((32, 4)).astype("float32")
Y = np.random.default_rng(1).random((32, 2)).astype("float32")


def _model(lib=kerasish):
    model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(2)])
    model.compile(optimizer="rmsprop", loss="mse")
    return model


def _wrong_width_error(method):
    model = _model()
    with pytest.raises(ValueError) as info:
        if method == "fit":
            model.fit(np.zeros((8, 5), "float32"), np.zeros((8, 2), "float32"), verbose=0)
        elif method == "evaluate":
            model.evaluate(np.zeros((8, 5), "float32"), np.zeros((8, 2), "float32"), verbose=0)
        else:
            model.predict(np.zeros((8, 5), "float32"), verbose=0)
    return info.value


@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_wrong_width_prints_the_keras_message_alone(method):
    error = _wrong_width_error(method)
    printed = "".join(traceback.format_exception(error))
    assert "expected axis -1 of input shape to have value 4" in printed
    assert "mat1 and mat2" not in printed, printed
    assert "During handling" not in printed
    # This test's frame, the filter's re-raise, and the message: a handful of lines, not 61.
    assert len(printed.splitlines()) <= 10, printed
    internal = [f.filename for f in traceback.extract_tb(error.__traceback__)
                if f.filename.startswith(KERASISH_DIR) and not f.filename.endswith("traceback_utils.py")]
    assert internal == []


def test_traceback_filtering_can_be_disabled():
    kerasish.config.disable_traceback_filtering()
    try:
        error = _wrong_width_error("fit")
    finally:
        kerasish.config.enable_traceback_filtering()
    files = [f.filename for f in traceback.extract_tb(error.__traceback__)]
    assert any(f.endswith(os.path.join("trainers", "trainer.py")) for f in files)
    assert kerasish.config.is_traceback_filtering_enabled()


def test_user_errors_keep_their_frame_and_cause():
    class Boom(kerasish.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            try:
                {}["missing"]
            except KeyError as e:
                raise RuntimeError("callback failed") from e

    with pytest.raises(RuntimeError) as info:
        _model().fit(X, Y, verbose=0, callbacks=[Boom()])
    frames = traceback.extract_tb(info.value.__traceback__)
    assert frames[-1].name == "on_epoch_end" and frames[-1].filename == __file__
    assert isinstance(info.value.__cause__, KeyError)


def _warnings_of(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return caught


def test_warnings_inside_the_loops_point_at_the_users_line():
    def batches():
        for _ in range(2):
            yield X[:8], Y[:8]

    checks = {
        "nb_epoch": lambda: _model().fit(X, Y, nb_epoch=1, verbose=0),
        "ran out of data": lambda: _model().fit(batches(), steps_per_epoch=4, epochs=1, verbose=0),
        "conditioned on metric": lambda: _model().fit(
            X, Y, verbose=0, callbacks=[kerasish.callbacks.EarlyStopping(monitor="val_loss")]),
    }
    for text, call in checks.items():
        caught = [w for w in _warnings_of(call) if text in str(w.message)]
        assert caught, text
        assert all(w.filename == __file__ for w in caught), [(w.filename, w.lineno) for w in caught]


class _Record(kerasish.callbacks.Callback):
    def __init__(self, fail_at_batch=None):
        super().__init__()
        self.fail_at_batch = fail_at_batch
        self.events = []
        self.flushing_during = None

    def on_train_batch_end(self, batch, logs=None):
        self.flushing_during = _flush_denormal_enabled()
        if batch == self.fail_at_batch:
            raise RuntimeError("mid-epoch failure")

    def on_train_end(self, logs=None):
        self.events.append("train_end")


def test_an_exception_mid_epoch_restores_process_state():
    model = _model()
    record = _Record(fail_at_batch=1)
    assert not _flush_denormal_enabled()
    with pytest.raises(RuntimeError, match="mid-epoch failure"):
        model.fit(X, Y, batch_size=8, verbose=0, callbacks=[record])
    assert record.flushing_during is True
    assert not _flush_denormal_enabled(), "the float environment is restored"
    assert model.training is False, "the model is back in inference mode"
    assert all(not m.training for m in model.modules())
    assert "_ddp_module" not in model.__dict__
    # As in Keras 3, `on_train_end` does not run when training fails.
    assert record.events == []
    # And the model trains again normally.
    assert len(model.fit(X, Y, epochs=2, verbose=0).history["loss"]) == 2


def test_an_exception_in_the_data_restores_process_state():
    def batches():
        yield X[:8], Y[:8]
        raise OSError("disk went away")

    model = _model()
    with pytest.raises(OSError, match="disk went away"):
        model.fit(batches(), steps_per_epoch=3, verbose=0)
    assert not _flush_denormal_enabled()
    assert model.training is False


def test_keras_does_not_call_on_train_end_on_errors(keras):
    """The reference for the choice above."""

    class Record(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.events = []

        def on_train_batch_end(self, batch, logs=None):
            if batch == 1:
                raise RuntimeError("mid-epoch failure")

        def on_train_end(self, logs=None):
            self.events.append("train_end")

    record = Record()
    with pytest.raises(RuntimeError):
        _model(keras).fit(X, Y, batch_size=8, verbose=0, callbacks=[record])
    assert record.events == []


# The pool threads too: a fresh process with two OpenMP threads, where a callback fails mid-epoch.
_POOL_SCRIPT = r"""
import numpy as np
import torch
torch.set_num_threads(2)
import kerasish

def flushed_fraction():
    a, b = torch.full((1 << 20,), 1e-20), torch.full((1 << 20,), 1e-19)
    return float(((a * b) == 0).float().mean())

class Fail(kerasish.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        self.during = flushed_fraction()
        raise RuntimeError("stop")

model = kerasish.Sequential([kerasish.Input((4,)), kerasish.layers.Dense(2)])
model.compile("rmsprop", "mse")
fail = Fail()
try:
    model.fit(np.ones((16, 4)), np.ones((16, 2)), batch_size=8, verbose=0, callbacks=[fail])
except RuntimeError:
    pass
print(fail.during, flushed_fraction())
"""


def test_pool_threads_are_restored_after_an_exception():
    env = dict(os.environ, OMP_NUM_THREADS="2")
    env.pop("KERASISH_FLUSH_DENORMAL", None)
    out = subprocess.run([sys.executable, "-c", _POOL_SCRIPT], capture_output=True, text=True,
                         env=env, timeout=120, cwd=os.path.dirname(KERASISH_DIR))
    assert out.returncode == 0, out.stderr
    during, after = (float(v) for v in out.stdout.split())
    assert during == 1.0 and after == 0.0
