"""Keras 2 legacy behaviour (`lr`, `decay` as per-step inverse-time decay) against goldens written by
`tools/make_optimizer_goldens.py` from tf-keras's legacy optimizers."""

import json
import os

import numpy as np
import pytest
import torch

import kerasish

GOLDENS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "goldens")
with open(os.path.join(GOLDENS, "optimizers_keras2.json")) as _f:
    SPEC = json.load(_f)
ARRAYS = np.load(os.path.join(GOLDENS, "optimizers_keras2.npz"))


def _trajectory(class_name, kwargs):
    n_vars = len(SPEC["shapes"])
    variables = [kerasish.Variable(ARRAYS[f"init_{i}"].copy()) for i in range(n_vars)]
    opt = getattr(kerasish.optimizers, class_name)(**kwargs)
    out = []
    for step in range(SPEC["steps"]):
        grads = [torch.from_numpy(ARRAYS[f"grad_{i}"][step]) for i in range(n_vars)]
        opt.apply_gradients(zip(grads, variables))
        out.append(np.concatenate([v.numpy().ravel() for v in variables]))
    return np.stack(out)


@pytest.mark.parametrize("case", SPEC["cases"], ids=[c["id"] for c in SPEC["cases"]])
def test_matches_tf_keras_legacy(case):
    expected = ARRAYS[f"{case['id']}_trajectory"]
    actual = _trajectory(case["class_name"], case["kwargs"])
    # Adagrad: Keras 2 adds epsilon outside the square root, Keras 3 inside (1e-7 on a >= 0.1
    # accumulator: a relative change below 1e-6).
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("case", [c for c in SPEC["cases"] if c["kwargs"]["decay"] >= 0.01],
                         ids=lambda c: c["id"])
def test_decay_changes_the_trajectory(case):
    """The goldens would catch an ignored `decay` (as Keras 3 ignores it)."""
    kwargs = dict(case["kwargs"], decay=0.0)
    without_decay = _trajectory(case["class_name"], kwargs)
    expected = ARRAYS[f"{case['id']}_trajectory"]
    assert not np.allclose(without_decay, expected, rtol=1e-5, atol=1e-6)
