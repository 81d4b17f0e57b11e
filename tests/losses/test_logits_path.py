"""The logits path (docs/numerics.md): crossentropies on a tagged softmax/sigmoid output equal
Keras's clipped values away from 0/1, and keep finite, non-zero gradients where Keras's clip
zeroes them."""

import numpy as np
import torch

import kerasish
from kerasish import activations
from tests.conftest import assert_close


def test_same_value_as_keras_away_from_the_clip(keras, rng):
    logits = torch.as_tensor(rng.normal(size=(6, 4)).astype("float32"))
    y = np.eye(4, dtype="float32")[rng.integers(0, 4, 6)]
    probs = activations.softmax(logits)
    assert hasattr(probs, "_keras_logits")
    ours = kerasish.losses.CategoricalCrossentropy()(y, probs)
    theirs = keras.losses.CategoricalCrossentropy()(y, torch.softmax(logits, -1))
    assert_close(ours.detach(), theirs.detach())
    yb = rng.integers(0, 2, (6, 4)).astype("float32")
    sig = activations.sigmoid(logits)
    for name in ("BinaryCrossentropy", "BinaryFocalCrossentropy"):
        assert_close(getattr(kerasish.losses, name)()(yb, sig).detach(),
                     getattr(keras.losses, name)()(yb, torch.sigmoid(logits)).detach())
    assert_close(kerasish.losses.CategoricalFocalCrossentropy()(y, probs).detach(),
                 keras.losses.CategoricalFocalCrossentropy()(y, torch.softmax(logits, -1)).detach())


def test_finite_gradient_where_keras_clip_zeroes_it(keras):
    # The true class's probability underflows to ~e^-40: Keras clips at epsilon, so its loss is
    # stuck at -log(1e-7) with a zero gradient; the logits path gives the exact loss (40) and
    # the softmax gradient.
    logits = torch.tensor([[40.0, 0.0, 0.0]], requires_grad=True)
    y = torch.tensor([[0.0, 1.0, 0.0]])
    loss = kerasish.losses.CategoricalCrossentropy()(y, activations.softmax(logits))
    loss.backward()
    assert abs(loss.item() - 40.0) < 1e-3
    assert torch.isfinite(logits.grad).all() and logits.grad.abs().sum() > 1.0

    ref_logits = torch.tensor([[40.0, 0.0, 0.0]], requires_grad=True)
    ref = keras.losses.CategoricalCrossentropy()(y, torch.softmax(ref_logits, -1))
    ref.backward()
    assert abs(ref.item() - 16.118) < 1e-2  # -log(epsilon)
    assert ref_logits.grad.abs().sum() == 0.0


def test_sigmoid_saturation_keeps_gradient():
    logits = torch.tensor([[-30.0]], requires_grad=True)
    loss = kerasish.losses.BinaryCrossentropy()(torch.tensor([[1.0]]), activations.sigmoid(logits))
    loss.backward()
    assert abs(loss.item() - 30.0) < 1e-3
    assert logits.grad.item() < -0.99


def test_untagged_probabilities_use_keras_clip():
    y = torch.tensor([[0.0, 1.0]])
    p = torch.tensor([[1.0, 0.0]])
    assert abs(kerasish.losses.categorical_crossentropy(y, p).item() + np.log(1e-7)) < 1e-3
