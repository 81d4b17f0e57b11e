"""Reshaping layers vs Keras 3."""

import numpy as np
import pytest

from tests.layers.parity_utils import assert_layer_parity

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("name,cfg,shape", [
    ("Permute", dict(dims=(2, 1)), (2, 4, 3)),
    ("Permute", dict(dims=(3, 1, 2)), (2, 4, 3, 5)),
    ("RepeatVector", dict(n=3), (2, 4)),
    ("Cropping1D", dict(cropping=(1, 2)), (2, 6, 3)),
    ("Cropping2D", dict(cropping=((1, 0), (0, 2))), (2, 5, 5, 3)),
    ("Cropping2D", dict(cropping=1, data_format="channels_first"), (2, 3, 5, 5)),
    ("Cropping3D", dict(cropping=((1, 0), (0, 1), (1, 1))), (1, 4, 4, 4, 2)),
    ("ZeroPadding1D", dict(padding=(1, 2)), (2, 4, 3)),
    ("ZeroPadding2D", dict(padding=((1, 0), (2, 3))), (2, 4, 4, 3)),
    ("ZeroPadding2D", dict(padding=2, data_format="channels_first"), (2, 3, 4, 4)),
    ("ZeroPadding3D", dict(padding=(1, 0, 2)), (1, 2, 2, 2, 3)),
    ("UpSampling1D", dict(size=3), (2, 4, 3)),
    ("UpSampling2D", dict(size=(2, 3)), (2, 3, 3, 2)),
    ("UpSampling2D", dict(size=2, interpolation="bilinear"), (2, 3, 4, 2)),
    ("UpSampling2D", dict(size=(3, 2), interpolation="bilinear", data_format="channels_first"),
     (2, 2, 3, 4)),
    ("UpSampling3D", dict(size=(1, 2, 3)), (1, 2, 2, 2, 2)),
    ("Flatten", dict(data_format="channels_first"), (2, 3, 4, 5)),
    ("Reshape", dict(target_shape=(-1, 3)), (2, 4, 3, 2)),
])
def test_reshaping(keras, name, cfg, shape):
    assert_layer_parity(keras, name, cfg, RNG.standard_normal(shape).astype("float32"))
