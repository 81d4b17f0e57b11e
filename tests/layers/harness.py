"""A generic layer test: `run_layer_test(layer_cls, init_kwargs, input_shape, ...)`.

It checks, for any kerasish layer:
- the output's shape equals `compute_output_shape` (with the batch size known, and unknown);
- `get_config` -> `from_config` (directly and through `kerasish.layers.deserialize`) gives the same
  config, and the rebuilt layer computes the same outputs once given the same weights;
- `get_weights`/`set_weights` round-trip (shapes and values);
- one SGD step on a loss of the output changes the trainable weights (and every trainable weight
  receives a gradient), and leaves the non-trainable ones alone unless `training` updates them.

Use it from a data-driven table (see `test_layer_table.py`).
"""

import numpy as np
import torch

import kerasish


def _make_input(input_shape, input_dtype, input_data, seed):
    if input_data is not None:
        return input_data
    rng = np.random.default_rng(seed)
    if np.issubdtype(np.dtype(input_dtype), np.integer):
        return rng.integers(0, 5, size=input_shape).astype(input_dtype)
    return rng.standard_normal(input_shape).astype(input_dtype)


def _numpy(x):
    return x.detach().cpu().numpy() if torch.is_tensor(x) else np.asarray(x)


def _check_output_shape(layer, output, input_shape, expected_output_shape):
    got = tuple(output.shape)
    if expected_output_shape is not None:
        assert got == tuple(expected_output_shape), (got, expected_output_shape)
    assert tuple(layer.compute_output_shape(tuple(input_shape))) == got
    unknown_batch = layer.compute_output_shape((None,) + tuple(input_shape[1:]))
    assert tuple(unknown_batch) == (None,) + got[1:], (unknown_batch, got)


def _check_config(layer_cls, layer, x, call_kwargs):
    config = layer.get_config()
    clone = layer_cls.from_config(config)
    assert clone.get_config() == config
    again = kerasish.layers.deserialize({"class_name": layer_cls.__name__, "config": config})
    assert type(again) is layer_cls and again.get_config() == config
    clone(x, **call_kwargs)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(_numpy(clone(x, training=False, **call_kwargs)),
                               _numpy(layer(x, training=False, **call_kwargs)),
                               rtol=1e-6, atol=1e-6)


def _check_weights_round_trip(layer):
    weights = layer.get_weights()
    assert len(weights) == len(layer.weights)
    rng = np.random.default_rng(1)
    new = [rng.standard_normal(w.shape).astype(w.dtype) for w in weights]
    layer.set_weights(new)
    for got, want in zip(layer.get_weights(), new):
        np.testing.assert_array_equal(got, want)
    layer.set_weights(weights)


def _check_training_step(layer, x, call_kwargs):
    trainable = layer.trainable_weights
    if not trainable:
        return
    before = [w.detach().clone() for w in trainable]
    frozen_before = [w.detach().clone() for w in layer.non_trainable_weights]
    out = layer(x, training=True, **call_kwargs)
    # A loss whose gradient is not constant, so even a normalisation layer's weights move.
    target = torch.linspace(-1, 1, out.numel(), dtype=out.dtype).reshape(out.shape)
    loss = (out - target).square().mean()
    for w in trainable:
        w.grad = None
    loss.backward()
    missing = [w._keras_name for w in trainable if w.grad is None]
    assert not missing, f"no gradient for {missing}"
    with torch.no_grad():
        for w in trainable:
            w.sub_(0.1 * w.grad)
    changed = [not torch.equal(b, w.detach()) for b, w in zip(before, trainable)]
    assert any(changed), "a training step changed no weight"
    if not layer._call_has_training_arg:
        for b, w in zip(frozen_before, layer.non_trainable_weights):
            assert torch.equal(b, w.detach())


def run_layer_test(layer_cls, init_kwargs, input_shape, input_dtype="float32", input_data=None,
                   expected_output_shape=None, expected_num_trainable_weights=None,
                   expected_num_non_trainable_weights=None, call_kwargs=None,
                   run_training_step=True, seed=0):
    """Runs the generic checks on `layer_cls(**init_kwargs)` called on an input of `input_shape`.

    Args:
        layer_cls: the layer class.
        init_kwargs: constructor arguments.
        input_shape: full input shape, batch first.
        input_dtype: numpy dtype of the random input. Defaults to `"float32"`.
        input_data: an explicit input array instead of random data.
        expected_output_shape: if given, the output must have this shape.
        expected_num_trainable_weights, expected_num_non_trainable_weights: if given, checked.
        call_kwargs: extra keyword arguments for every call (e.g. a `mask`).
        run_training_step: whether to check that one SGD step changes the weights.

    Returns:
        The built layer.
    """
    call_kwargs = dict(call_kwargs or {})
    x = _make_input(input_shape, input_dtype, input_data, seed)
    layer = layer_cls(**init_kwargs)
    output = layer(x, **call_kwargs)
    _check_output_shape(layer, output, input_shape, expected_output_shape)
    if expected_num_trainable_weights is not None:
        assert len(layer.trainable_weights) == expected_num_trainable_weights
    if expected_num_non_trainable_weights is not None:
        assert len(layer.non_trainable_weights) == expected_num_non_trainable_weights
    _check_config(layer_cls, layer, x, call_kwargs)
    _check_weights_round_trip(layer)
    if run_training_step:
        _check_training_step(layer, torch.as_tensor(x), call_kwargs)
    return layer
