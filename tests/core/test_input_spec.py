"""`InputSpec` checks give Keras 3's verdicts (accepted or refused), `allow_last_axis_squeeze`
included (it was accepted and ignored)."""

import pytest
import torch

from kerasish.layers import InputSpec
from kerasish.layers.input_spec import assert_input_compatibility

CASES = [
    (dict(shape=(None, 28, 28, 1)), (2, 28, 28, 1)),
    (dict(shape=(None, 28, 28, 1)), (2, 28, 28)),
    (dict(shape=(None, 28, 28, 1), allow_last_axis_squeeze=True), (2, 28, 28)),
    (dict(shape=(None, 28, 28), allow_last_axis_squeeze=True), (2, 28, 28, 1)),
    (dict(shape=(None, 28, 28), allow_last_axis_squeeze=True), (2, 28, 27, 1)),
    (dict(shape=(None, 28, 28, 1), allow_last_axis_squeeze=True), (2, 27, 28)),
    (dict(ndim=3, allow_last_axis_squeeze=True), (2, 5, 4, 1)),
    (dict(ndim=3), (2, 5, 4, 1)),
    (dict(min_ndim=2, axes={-1: 4}), (3, 4)),
    (dict(min_ndim=2, axes={-1: 4}), (3, 5)),
]


def _verdict(check, spec, shape):
    try:
        check(spec, torch.zeros(shape), "layer")
        return "ok"
    except ValueError:
        return "refused"


@pytest.mark.parametrize("kwargs, shape", CASES)
def test_verdicts_match_keras(keras, kwargs, shape):
    from keras.src.layers.input_spec import assert_input_compatibility as keras_check

    ours = _verdict(assert_input_compatibility, InputSpec(**kwargs), shape)
    theirs = _verdict(keras_check, keras.layers.InputSpec(**kwargs), shape)
    assert ours == theirs, (kwargs, shape)


def test_squeeze_flag_is_kept():
    assert InputSpec(ndim=3, allow_last_axis_squeeze=True).allow_last_axis_squeeze
    assert not InputSpec(ndim=3).allow_last_axis_squeeze
