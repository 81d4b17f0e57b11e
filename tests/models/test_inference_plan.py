"""The direct inference path of a `Sequential` (kerasish.layers.inference_plan): `predict` and
`evaluate` skip `Layer.__call__` for layers whose bookkeeping would do nothing, give exactly the
ordinary call's numbers, and take the ordinary path for every layer that needs it (hooks, masks,
activity regularizers, mixed precision, subclasses)."""

from unittest import mock

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers
from kerasish.layers.layer import Layer


def _mlp(*extra):
    model = kerasish.Sequential([layers.Input((6,)), layers.Dense(8, activation="relu"),
                                 layers.Dropout(0.5), layers.BatchNormalization(), *extra,
                                 layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    return model


def _x(rows=1):
    return np.random.default_rng(0).random((rows, 6), dtype=np.float32)


class _Counting:
    """Counts `Layer.__call__` calls per layer name while active."""

    def __init__(self):
        self.names = []
        original = Layer.__call__

        def counted(layer, *args, **kwargs):
            self.names.append(layer.name)
            return original(layer, *args, **kwargs)

        self.patch = mock.patch.object(Layer, "__call__", counted)

    def __enter__(self):
        self.patch.__enter__()
        return self

    def __exit__(self, *exc):
        self.patch.__exit__(*exc)


def test_predict_skips_layer_bookkeeping_and_matches_the_ordinary_call():
    model = _mlp()
    x = _x()
    model.predict(x, verbose=0)  # the first call records shapes the ordinary way
    with _Counting() as seen:
        fast = model.predict(x, verbose=0)
    assert seen.names == []  # no layer went through Layer.__call__
    with torch.no_grad():
        expected = model(torch.from_numpy(x), training=False).numpy()
    np.testing.assert_array_equal(fast, expected)
    # Inference mode reached the layers: dropout off, batch norm on its moving statistics.
    np.testing.assert_array_equal(model.predict(x, verbose=0), fast)


def test_evaluate_and_batched_predict_use_the_same_numbers():
    model = _mlp()
    x, y = _x(10), np.eye(3, dtype="float32")[np.arange(10) % 3]
    model.predict(x, verbose=0)
    with torch.no_grad():
        expected = model(torch.from_numpy(x), training=False)
        loss = float(torch.nn.functional.cross_entropy(
            torch.log(expected), torch.from_numpy(y.argmax(1)), reduction="mean"))
    np.testing.assert_allclose(model.predict(x, batch_size=4, verbose=0), expected.numpy(), rtol=1e-6)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(loss, rel=1e-5)


@pytest.mark.parametrize("hook_kind", ["layer", "global"])
def test_torch_hooks_are_honoured(hook_kind):
    model = _mlp()
    x = _x()
    model.predict(x, verbose=0)
    calls = []
    hook = lambda module, args, out: calls.append(type(module).__name__)  # noqa: E731
    if hook_kind == "layer":
        handle = model.layers[0].register_forward_hook(hook)
    else:
        handle = torch.nn.modules.module.register_module_forward_hook(hook)
    try:
        model.predict(x, verbose=0)
    finally:
        handle.remove()
    assert "Dense" in calls
    calls.clear()
    model.predict(x, verbose=0)
    assert calls == []


class _Doubling(Layer):
    def call(self, inputs):
        self.add_loss(inputs.sum())
        return inputs * 2


def test_activity_regularizer_and_add_loss_layers_take_the_ordinary_path():
    model = _mlp(_Doubling())
    x = _x()
    model.predict(x, verbose=0)
    model.layers[0].activity_regularizer = kerasish.regularizers.L2(0.1)
    with _Counting() as seen:
        model.predict(x, verbose=0)
    assert seen.names[0] == model.layers[0].name  # the regularized layer and all after it
    assert len(seen.names) == len(model.layers)
    # `add_loss` from a predict call is cleared by the next call, as after an ordinary call.
    model.predict(x, verbose=0)
    model.predict(x, verbose=0)
    assert len(model.layers[3].losses) == 1


def test_masks_flow_through_the_ordinary_path():
    model = kerasish.Sequential([layers.Input((None,), dtype="int32"),
                                 layers.Embedding(10, 3, mask_zero=True),
                                 layers.LSTM(2)])
    x = np.array([[1, 2, 0, 0], [3, 0, 0, 0]], dtype="int32")
    model.predict(x, verbose=0)
    with torch.no_grad():
        expected = model(torch.from_numpy(x), training=False).numpy()
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-6)
    # The LSTM skipped the padding: the padded row gives the unpadded sequence's output.
    unpadded = model.predict(np.array([[1, 2]], dtype="int32"), verbose=0)
    np.testing.assert_allclose(expected[:1], unpadded, rtol=1e-5, atol=1e-6)


def test_training_flag_seen_by_layers_is_false():
    seen = []

    class Probe(Layer):
        def call(self, inputs, training=None):
            seen.append((training, kerasish.backend.learning_phase()))
            return inputs

    model = kerasish.Sequential([layers.Input((6,)), Probe()])
    model.predict(_x(), verbose=0)
    seen.clear()
    model.predict(_x(), verbose=0)
    assert seen == [(False, 0)]


def test_shape_errors_keep_keras_message():
    model = _mlp()
    model.predict(_x(), verbose=0)
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 6"):
        model.predict(np.ones((1, 5), dtype="float32"), verbose=0)


def test_subclassed_sequential_and_mixed_precision_keep_the_ordinary_path():
    class Mine(kerasish.Sequential):
        def call(self, inputs, training=None, mask=None):
            return super().call(inputs, training=training, mask=mask) + 1

    model = Mine([layers.Input((6,)), layers.Dense(2)])
    x = _x()
    model.predict(x, verbose=0)
    with _Counting() as seen:
        out = model.predict(x, verbose=0)
    assert seen.names  # the ordinary calls
    with torch.no_grad():
        np.testing.assert_allclose(out, model(torch.from_numpy(x)).numpy(), rtol=1e-6)

    dense = layers.Dense(2, dtype="mixed_bfloat16")
    model = kerasish.Sequential([layers.Input((6,)), dense])
    model.predict(x, verbose=0)
    with _Counting() as seen:
        out = model.predict(x, verbose=0)
    assert seen.names == [dense.name]
    assert out.dtype == np.float32


def _functional():
    a, b = layers.Input((6,), name="a"), layers.Input((2,), name="b")
    h = layers.Dense(64, activation="relu")(a)
    h = layers.BatchNormalization()(h)
    always = layers.Dropout(0.5, name="always")(h, training=True)  # Keras keeps it on in predict
    out = layers.Dense(3)(layers.Concatenate()([h, always, b]))
    return kerasish.Model({"a": a, "b": b}, out)


def test_functional_predict_calls_single_input_layers_directly():
    model = _functional()
    x = {"a": _x(), "b": np.ones((1, 2), dtype="float32")}
    model.predict(x, verbose=0)
    with _Counting() as seen:
        out = model.predict(x, verbose=0)
    # Only the layers that need the ordinary call: a recorded `training=True`, two inputs.
    assert seen.names == ["always", "concatenate"]
    assert not np.array_equal(model.predict(x, verbose=0), out)  # the dropout is on
    model.get_layer("always").rate = 0.0  # (random: compare without it)
    with torch.no_grad():
        expected = model({k: torch.from_numpy(v) for k, v in x.items()}, training=False).numpy()
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-6)
