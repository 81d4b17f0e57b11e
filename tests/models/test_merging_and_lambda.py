"""Merging layers, Lambda and TensorOp: values, shapes, masks, configs and errors."""

import json

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers
from kerasish.layers.core.lambda_layer import Lambda

RNG = np.random.default_rng(0)
A, B, C = (RNG.normal(size=(3, 4)).astype("float32") for _ in range(3))

MERGES = [
    (layers.Add, layers.add, lambda *xs: sum(xs)),
    (layers.Multiply, layers.multiply, lambda a, b, c: a * b * c),
    (layers.Average, layers.average, lambda *xs: sum(xs) / 3),
    (layers.Maximum, layers.maximum, lambda *xs: np.max(xs, axis=0)),
    (layers.Minimum, layers.minimum, lambda *xs: np.min(xs, axis=0)),
]


@pytest.mark.parametrize("cls,fn,reference", MERGES, ids=[m[0].__name__ for m in MERGES])
def test_elementwise_merges(cls, fn, reference):
    expected = reference(A, B, C)
    out = cls()([torch.from_numpy(A), torch.from_numpy(B), torch.from_numpy(C)])
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)
    inputs = [kerasish.Input((4,)) for _ in range(3)]
    model = kerasish.Model(inputs, fn(inputs))
    np.testing.assert_allclose(model.predict([A, B, C], verbose=0), expected, rtol=1e-6)
    assert cls.from_config(cls(name="m").get_config()).name == "m"


def test_subtract_needs_two_inputs():
    np.testing.assert_allclose(layers.subtract([torch.from_numpy(A), torch.from_numpy(B)]).numpy(), A - B)
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        layers.Subtract()([kerasish.Input((4,)) for _ in range(3)])


def test_merge_needs_a_list_and_matching_shapes():
    with pytest.raises(ValueError, match="list"):
        layers.Add()(kerasish.Input((4,)))
    with pytest.raises(ValueError, match="incompatible shapes"):
        layers.Add()([kerasish.Input((4,)), kerasish.Input((3,))])


def test_merge_broadcasts_different_ranks_like_keras():
    x, y = kerasish.Input((4,)), kerasish.Input((2, 4))
    assert layers.add([x, y]).shape == (None, 2, 4)


def test_concatenate_axis_shape_and_mask():
    a, b = kerasish.Input((2, 3)), kerasish.Input((2, 5))
    assert layers.concatenate([a, b]).shape == (None, 2, 8)
    assert layers.Concatenate(axis=1)([a, a]).shape == (None, 4, 3)
    with pytest.raises(ValueError, match="matching shapes"):
        layers.Concatenate(axis=1)([a, b])
    x = torch.ones(1, 2, 3)
    mask = layers.Concatenate().compute_mask([x, x], [torch.tensor([[True, False]]), None])
    assert mask.tolist() == [[True, True]]
    assert layers.Concatenate.from_config(layers.Concatenate(axis=1).get_config()).axis == 1


def test_dot_axes_normalize_and_shapes():
    x, y = torch.from_numpy(A), torch.from_numpy(B)
    np.testing.assert_allclose(layers.Dot(axes=1)([x, y]).numpy(), np.sum(A * B, axis=1, keepdims=True), rtol=1e-5)
    cos = layers.Dot(axes=1, normalize=True)([x, y]).numpy()
    expected = np.sum(A * B, 1) / (np.linalg.norm(A, axis=1) * np.linalg.norm(B, axis=1))
    np.testing.assert_allclose(cos.ravel(), expected, rtol=1e-5)
    s1, s2 = kerasish.Input((3, 4)), kerasish.Input((5, 4))
    assert layers.dot([s1, s2], axes=(2, 2)).shape == (None, 3, 5)
    with pytest.raises(ValueError, match="Incompatible input shapes"):
        layers.Dot(axes=1)([s1, s2])
    with pytest.raises(ValueError, match="pair of ints"):
        layers.Dot(axes=(1, 2, 3))


def test_lambda_shapes_inferred_given_or_callable():
    inp = kerasish.Input((6,))
    assert Lambda(lambda t: t[:, :2])(inp).shape == (None, 2)
    assert Lambda(lambda t: t, output_shape=(6,))(inp).shape == (None, 6)
    assert Lambda(lambda t: t.reshape(-1, 2, 3), output_shape=lambda s: (s[0], 2, 3))(inp).shape == (None, 2, 3)
    scaled = Lambda(lambda t, factor: t * factor, arguments={"factor": 3.0})
    np.testing.assert_allclose(scaled(torch.ones(1, 2)).numpy(), 3.0)


def test_lambda_config_keeps_bytecode_and_needs_unsafe_mode_to_load():
    layer = Lambda(lambda t: t * 2 + 1, output_shape=(4,), name="affine")
    config = json.loads(json.dumps(layer.get_config()))
    assert config["function"]["class_name"] == "__lambda__"
    with pytest.raises(ValueError, match="safe_mode=False"):
        Lambda.from_config(config)
    loaded = Lambda.from_config(config, safe_mode=False)
    np.testing.assert_allclose(loaded(torch.ones(1, 4)).numpy(), 3.0)
    assert loaded.name == "affine"


def test_lambda_with_named_function_loads_from_custom_objects():
    def halve(t):
        return t / 2

    config = json.loads(json.dumps(Lambda(halve).get_config()))
    assert config["function"]["config"] == "halve"
    loaded = Lambda.from_config(config, custom_objects={"halve": halve})
    assert loaded.function is halve


def test_tensor_op_config_round_trip():
    inp = kerasish.Input((4,))
    model = kerasish.Model(inp, (3 - inp)[:, ::2])
    rebuilt = kerasish.Model.from_config(json.loads(json.dumps(model.get_config())))
    x = RNG.normal(size=(2, 4)).astype("float32")
    np.testing.assert_allclose(rebuilt.predict(x, verbose=0), (3 - x)[:, ::2], rtol=1e-6)
