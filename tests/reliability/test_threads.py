"""Per-call state is per thread (DESIGN, State): a call in one thread never sees the training flag,
inference weight cache, safe mode, custom-object scope or strategy scope of another thread.

Each test holds one thread inside a call with an Event (no timing), does the other thread's work,
then releases it, so the interleaving that used to leak is the one that runs."""

import gc
import sys
import threading
import weakref

import numpy as np
import pytest

import kerasish
from kerasish import layers
from kerasish.layers.layer import call_context
from kerasish.saving import object_registration, serialization

_TIMEOUT = 60


class Gate(layers.Layer):
    """Identity (or `inner`) that, when `gated`, signals `entered` and waits for `release` inside
    its call, before calling `inner`."""

    def __init__(self, inner=None, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner
        self.gated = False
        self.entered = threading.Event()
        self.release = threading.Event()
        self.seen_training = []

    def call(self, inputs, training=None):
        self.seen_training.append(training)
        if self.gated:
            self.entered.set()
            if not self.release.wait(_TIMEOUT):
                raise RuntimeError("Gate was never released")
        return inputs if self.inner is None else self.inner(inputs)


class Held:
    """Runs `fn` in a thread that stops inside `gate`'s call until `release()`."""

    def __init__(self, gate, fn):
        self.gate, self.error, self.result = gate, None, None
        gate.gated = True
        self.thread = threading.Thread(target=self._run, args=(fn,), daemon=True)
        self.thread.start()
        assert gate.entered.wait(_TIMEOUT), "the held thread never reached its gate"

    def _run(self, fn):
        try:
            self.result = fn()
        except BaseException as e:  # re-raised in the test thread
            self.error = e

    def release(self):
        self.gate.release.set()
        self.thread.join(_TIMEOUT)
        assert not self.thread.is_alive()
        if self.error is not None:
            raise self.error
        return self.result


def _x(rng, shape=(16, 50)):
    return rng.normal(size=shape).astype("float32") + 3.0


def test_a_call_without_training_ignores_another_threads_training_call(rng):
    x = _x(rng)
    gate = Gate()
    trainee = kerasish.Sequential([kerasish.Input((50,)), gate, layers.Dense(3)])
    other = kerasish.Sequential([kerasish.Input((50,)), layers.Dropout(0.5), layers.BatchNormalization()])
    expected = other(x).detach().numpy()
    moving = [w.numpy() for w in other.layers[1].non_trainable_weights]
    held = Held(gate, lambda: trainee(x, training=True))
    out = other(x).detach().numpy()
    held.release()
    np.testing.assert_array_equal(out, expected)
    for w, before in zip(other.layers[1].non_trainable_weights, moving):
        np.testing.assert_array_equal(w.numpy(), before)
    assert gate.seen_training[-1] is True


def test_predict_ignores_a_training_call_that_starts_inside_it(rng):
    x = _x(rng, (8, 1000))
    gate_p = Gate(inner=layers.Dropout(0.5))  # Dropout is called after the training call began
    predictor = kerasish.Sequential([kerasish.Input((1000,)), gate_p])
    gate_t = Gate()
    trainee = kerasish.Sequential([kerasish.Input((1000,)), gate_t])
    predicting = Held(gate_p, lambda: predictor.predict(x, batch_size=8, verbose=0))
    training = Held(gate_t, lambda: trainee(x, training=True))  # enters while predict is inside
    out = predicting.release()
    training.release()
    np.testing.assert_array_equal(out, x)  # no value dropped or scaled


def test_fit_in_another_thread_leaves_a_plain_call_in_inference_mode(rng):
    x, y = _x(rng), rng.normal(size=(16, 3)).astype("float32")
    gate = Gate()
    trainee = kerasish.Sequential([kerasish.Input((50,)), gate, layers.Dense(3)])
    trainee.compile("sgd", "mse")
    other = kerasish.Sequential([kerasish.Input((50,)), layers.Dense(6), layers.Dropout(0.5),
                                 layers.BatchNormalization()])
    expected = other(x).detach().numpy()
    held = Held(gate, lambda: trainee.fit(x, y, epochs=1, batch_size=16, verbose=0))
    out = other(x).detach().numpy()
    held.release()
    np.testing.assert_array_equal(out, expected)


def test_inference_weight_cache_is_not_left_installed_by_overlapping_predicts(rng):
    x = _x(rng, (4, 50))
    gates = [Gate(), Gate()]
    models = [kerasish.Sequential([kerasish.Input((50,)), g, layers.Dense(3)]) for g in gates]
    first = Held(gates[0], lambda: models[0].predict(x, verbose=0))
    second = Held(gates[1], lambda: models[1].predict(x, verbose=0))
    first.release()  # the first predict ends while the second is still inside its loop
    second.release()
    seen = []
    t = threading.Thread(target=lambda: seen.append(call_context().inference_weights))
    t.start()
    t.join()
    assert call_context().inference_weights is None and seen == [None]


@pytest.fixture
def fine_switching():
    """Switch threads every microsecond (not every 5 ms) so that unguarded shared state shows."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(previous)


def test_concurrent_predict_from_four_threads_equals_serial(rng, fine_switching):
    xs = [_x(rng, (64, 50)) for _ in range(4)]
    models = []
    for _ in range(4):
        m = kerasish.Sequential([kerasish.Input((50,)), layers.Dense(32, activation="relu"),
                                 layers.Dropout(0.5), layers.BatchNormalization(), layers.Dense(4)])
        m.compile("adam", "mse")
        models.append(m)
    serial = [[m.predict(x, batch_size=8, verbose=0) for x in xs] for m in models]
    results, errors = {}, []
    trainer_x, trainer_y = _x(rng, (256, 50)), rng.normal(size=(256, 4)).astype("float32")
    trainee = kerasish.Sequential([kerasish.Input((50,)), layers.Dense(8), layers.Dropout(0.5),
                                   layers.Dense(4)])
    trainee.compile("sgd", "mse")
    stop = threading.Event()

    def train():
        while not stop.is_set():
            trainee.fit(trainer_x, trainer_y, epochs=1, batch_size=8, verbose=0)

    def work(i):
        try:
            results[i] = [[m.predict(x, batch_size=8, verbose=0) for x in xs] for m in models]
        except BaseException as e:
            errors.append(e)

    trainer = threading.Thread(target=train, daemon=True)
    trainer.start()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    stop.set()
    trainer.join(300)
    assert not errors, errors
    for i in range(4):
        for got_m, want_m in zip(results[i], serial):
            for got, want in zip(got_m, want_m):
                np.testing.assert_array_equal(got, want)


def test_safe_mode_scope_is_per_thread():
    gate = Gate()
    model = kerasish.Sequential([kerasish.Input((2,)), gate])

    def unsafe():
        with serialization.safe_mode_scope(False):
            return model(np.zeros((1, 2), "float32"))

    held = Held(gate, unsafe)
    in_safe_mode = serialization.in_safe_mode()
    held.release()
    assert in_safe_mode is True


def test_custom_object_scope_is_per_thread():
    gate = Gate()
    model = kerasish.Sequential([kerasish.Input((2,)), gate])

    def scoped():
        with kerasish.saving.custom_object_scope({"only_in_that_thread": len}):
            return model(np.zeros((1, 2), "float32"))

    held = Held(gate, scoped)
    found = object_registration.get_registered_object("only_in_that_thread")
    held.release()
    assert found is None


def test_strategy_scope_is_per_thread():
    gate = Gate()
    model = kerasish.Sequential([kerasish.Input((2,)), gate])
    strategy = kerasish.distribute.MirroredStrategy()

    def scoped():
        with strategy.scope():
            return model(np.zeros((1, 2), "float32"))

    held = Held(gate, scoped)
    current = kerasish.distribute.get_strategy()
    held.release()
    assert current is not strategy


def test_automatic_names_are_per_thread_like_keras(keras):
    def names(lib):
        out = [lib.layers.Dense(1).name]
        t = threading.Thread(target=lambda: out.append(lib.layers.Dense(1).name))
        t.start()
        t.join()
        out.append(lib.layers.Dense(1).name)
        return out

    assert names(kerasish) == names(keras)


def _rss_mib():
    try:
        import psutil
    except ImportError:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        pytest.skip("no psutil and no /proc/self/status to read the RSS from")
    return psutil.Process().memory_info().rss / 2**20


def test_predict_loops_on_four_threads_over_fresh_models_free_them(rng):
    """Issue 14: 4 threads x 30 rounds grew RSS by ~600 MiB, a stale inference cache keeping every
    model's weights (and their inference copies) alive; now about 35 MiB (allocator noise)."""
    x = rng.normal(size=(256, 784)).astype("float32")
    kept = []

    def work(rounds):
        for _ in range(rounds):
            model = kerasish.Sequential([kerasish.Input((784,)), layers.Dense(512, activation="relu"),
                                         layers.Dense(512, activation="relu"), layers.Dense(10)])
            model.predict(x, batch_size=64, verbose=0)
            kept.extend(weakref.ref(w) for w in model.weights)

    work(2)
    gc.collect()
    before = _rss_mib()
    threads = [threading.Thread(target=work, args=(30,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    gc.collect()
    growth = _rss_mib() - before
    alive = sum(ref() is not None for ref in kept)
    assert alive == 0, f"{alive} weights of finished models are still referenced"
    assert growth < 250, f"RSS grew by {growth:.0f} MiB"
