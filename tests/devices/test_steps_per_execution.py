"""`compile(steps_per_execution=N)`: N steps per callback dispatch, the same training."""

import numpy as np
import pytest

import kerasish
from kerasish import layers
from kerasish.trainers import execution


class BatchIndices(kerasish.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.begins, self.ends = [], []

    def on_train_batch_begin(self, batch, logs=None):
        self.begins.append(batch)

    def on_train_batch_end(self, batch, logs=None):
        self.ends.append(batch)


def _fit(steps_per_execution):
    kerasish.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x, y = rng.random((80, 5)).astype("float32"), rng.random((80, 1)).astype("float32")
    model = kerasish.Sequential([kerasish.Input((5,)), layers.Dense(4, activation="tanh"), layers.Dense(1)])
    model.compile("adam", "mse", metrics=["mae"], steps_per_execution=steps_per_execution)
    indices = BatchIndices()
    history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0, callbacks=[indices])
    return model, history.history, indices, model.evaluate(x, y, verbose=0)


def test_grouped_training_equals_one_step_per_execution():
    ref_model, ref_history, ref_idx, ref_eval = _fit(1)
    model, history, idx, result = _fit(3)
    for a, b in zip(ref_model.get_weights(), model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    np.testing.assert_allclose(history["loss"], ref_history["loss"], rtol=1e-6)
    np.testing.assert_allclose(result, ref_eval, rtol=1e-6)
    assert ref_idx.ends == list(range(10)) * 2
    # 10 batches per epoch in groups of 3: (0..2), (3..5), (6..8), (9).
    assert idx.begins == [0, 3, 6, 9] * 2 and idx.ends == [2, 5, 8, 9] * 2


def test_grouped_steps_helper():
    assert list(execution.grouped_steps("abcde", 2)) == [(0, 1, ["a", "b"]), (2, 3, ["c", "d"]), (4, 4, ["e"])]
    assert list(execution.grouped_steps("ab", 1)) == [(0, 0, ("a",)), (1, 1, ("b",))]


@pytest.mark.parametrize("value", [0, -2, 1.5, True, "2"])
def test_invalid_steps_per_execution(value):
    model = kerasish.Sequential([kerasish.Input((2,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="Received: steps_per_execution="):
        model.compile("sgd", "mse", steps_per_execution=value)
