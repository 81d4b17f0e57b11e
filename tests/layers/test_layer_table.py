"""The shared layer harness over every non-recurrent layer family (one row per configuration)."""

import numpy as np
import pytest
import torch

from kerasish import layers
from tests.layers.harness import run_layer_test

# (layer class, constructor arguments, input shape, expected output shape)
CASES = [
    (layers.Conv1D, dict(filters=4, kernel_size=3, padding="causal"), (2, 7, 3), (2, 7, 4)),
    (layers.Conv2D, dict(filters=4, kernel_size=3, strides=2, padding="same"), (2, 7, 8, 3), (2, 4, 4, 4)),
    (layers.Conv2D, dict(filters=4, kernel_size=(2, 3), groups=2, data_format="channels_first"),
     (2, 4, 6, 6), (2, 4, 5, 4)),
    (layers.Conv3D, dict(filters=2, kernel_size=2, dilation_rate=2), (2, 5, 5, 5, 1), (2, 3, 3, 3, 2)),
    (layers.Conv1DTranspose, dict(filters=3, kernel_size=3, strides=2), (2, 4, 2), (2, 9, 3)),
    (layers.Conv2DTranspose, dict(filters=3, kernel_size=3, strides=2, padding="same"), (2, 4, 5, 2), (2, 8, 10, 3)),
    (layers.Conv3DTranspose, dict(filters=2, kernel_size=2, strides=2), (1, 2, 2, 2, 3), (1, 4, 4, 4, 2)),
    (layers.DepthwiseConv1D, dict(kernel_size=3, depth_multiplier=2), (2, 6, 3), (2, 4, 6)),
    (layers.DepthwiseConv2D, dict(kernel_size=3, padding="same"), (2, 5, 5, 3), (2, 5, 5, 3)),
    (layers.SeparableConv1D, dict(filters=4, kernel_size=3, depth_multiplier=2), (2, 6, 3), (2, 4, 4)),
    (layers.SeparableConv2D, dict(filters=4, kernel_size=3, padding="same"), (2, 5, 5, 3), (2, 5, 5, 4)),
    (layers.MaxPooling1D, dict(pool_size=2), (2, 7, 3), (2, 3, 3)),
    (layers.MaxPooling2D, dict(pool_size=3, strides=2, padding="same"), (2, 7, 8, 3), (2, 4, 4, 3)),
    (layers.MaxPooling3D, dict(pool_size=2), (1, 4, 4, 4, 2), (1, 2, 2, 2, 2)),
    (layers.AveragePooling1D, dict(pool_size=3, padding="same"), (2, 7, 3), (2, 3, 3)),
    (layers.AveragePooling2D, dict(pool_size=2, data_format="channels_first"), (2, 3, 6, 6), (2, 3, 3, 3)),
    (layers.AveragePooling3D, dict(pool_size=2, padding="same"), (1, 3, 3, 3, 2), (1, 2, 2, 2, 2)),
    (layers.GlobalMaxPooling1D, dict(), (2, 5, 3), (2, 3)),
    (layers.GlobalMaxPooling2D, dict(keepdims=True), (2, 5, 5, 3), (2, 1, 1, 3)),
    (layers.GlobalMaxPooling3D, dict(data_format="channels_first"), (2, 3, 2, 2, 2), (2, 3)),
    (layers.GlobalAveragePooling1D, dict(keepdims=True), (2, 5, 3), (2, 1, 3)),
    (layers.GlobalAveragePooling2D, dict(), (2, 5, 5, 3), (2, 3)),
    (layers.GlobalAveragePooling3D, dict(), (2, 2, 2, 2, 3), (2, 3)),
    (layers.Permute, dict(dims=(2, 1)), (2, 4, 3), (2, 3, 4)),
    (layers.RepeatVector, dict(n=3), (2, 4), (2, 3, 4)),
    (layers.Cropping1D, dict(cropping=(1, 2)), (2, 6, 3), (2, 3, 3)),
    (layers.Cropping2D, dict(cropping=((1, 0), (0, 2))), (2, 5, 5, 3), (2, 4, 3, 3)),
    (layers.Cropping3D, dict(cropping=1, data_format="channels_first"), (1, 2, 4, 4, 4), (1, 2, 2, 2, 2)),
    (layers.ZeroPadding1D, dict(padding=(1, 2)), (2, 4, 3), (2, 7, 3)),
    (layers.ZeroPadding2D, dict(padding=((1, 0), (2, 3))), (2, 4, 4, 3), (2, 5, 9, 3)),
    (layers.ZeroPadding3D, dict(padding=1), (1, 2, 2, 2, 3), (1, 4, 4, 4, 3)),
    (layers.UpSampling1D, dict(size=3), (2, 4, 3), (2, 12, 3)),
    (layers.UpSampling2D, dict(size=(2, 3), interpolation="bilinear"), (2, 3, 3, 2), (2, 6, 9, 2)),
    (layers.UpSampling3D, dict(size=2, data_format="channels_first"), (1, 2, 2, 2, 2), (1, 2, 4, 4, 4)),
    (layers.BatchNormalization, dict(), (4, 3), (4, 3)),
    (layers.BatchNormalization, dict(axis=1, center=False), (4, 3, 5, 5), (4, 3, 5, 5)),
    (layers.LayerNormalization, dict(), (4, 6), (4, 6)),
    (layers.LayerNormalization, dict(axis=[1, 2]), (2, 3, 4), (2, 3, 4)),
    (layers.GroupNormalization, dict(groups=2), (2, 3, 4), (2, 3, 4)),
    (layers.UnitNormalization, dict(axis=[1, 2]), (2, 3, 4), (2, 3, 4)),
    (layers.SpatialDropout1D, dict(rate=0.5), (2, 4, 3), (2, 4, 3)),
    (layers.SpatialDropout2D, dict(rate=0.5, data_format="channels_first"), (2, 3, 4, 4), (2, 3, 4, 4)),
    (layers.SpatialDropout3D, dict(rate=0.5, seed=1), (1, 2, 2, 2, 3), (1, 2, 2, 2, 3)),
    (layers.GaussianNoise, dict(stddev=0.1), (2, 3), (2, 3)),
    (layers.GaussianDropout, dict(rate=0.2), (2, 3), (2, 3)),
    (layers.AlphaDropout, dict(rate=0.2, seed=3), (2, 3), (2, 3)),
    (layers.ActivityRegularization, dict(l1=0.1, l2=0.1), (2, 3), (2, 3)),
    (layers.ReLU, dict(max_value=2.0, negative_slope=0.1, threshold=0.5), (2, 3), (2, 3)),
    (layers.LeakyReLU, dict(negative_slope=0.2), (2, 3), (2, 3)),
    (layers.PReLU, dict(shared_axes=[1, 2]), (2, 3, 3, 2), (2, 3, 3, 2)),
    (layers.ELU, dict(alpha=0.5), (2, 3), (2, 3)),
    (layers.Softmax, dict(axis=[1, 2]), (2, 3, 4), (2, 3, 4)),
    (layers.AdaptiveAveragePooling1D, dict(output_size=3), (2, 7, 3), (2, 3, 3)),
    (layers.AdaptiveAveragePooling2D, dict(output_size=(2, 3), data_format="channels_first"),
     (2, 3, 5, 7), (2, 3, 2, 3)),
    (layers.AdaptiveAveragePooling3D, dict(output_size=2), (1, 3, 4, 5, 2), (1, 2, 2, 2, 2)),
    (layers.AdaptiveMaxPooling1D, dict(output_size=2, data_format="channels_first"), (2, 3, 5),
     (2, 3, 2)),
    (layers.AdaptiveMaxPooling2D, dict(output_size=3), (2, 7, 5, 3), (2, 3, 3, 3)),
    (layers.AdaptiveMaxPooling3D, dict(output_size=(1, 2, 3)), (1, 3, 4, 5, 2), (1, 1, 2, 3, 2)),
    (layers.RMSNormalization, dict(), (4, 6), (4, 6)),
    (layers.RMSNormalization, dict(axis=1), (2, 3, 4), (2, 3, 4)),
    (layers.SpectralNormalization, dict(layer=layers.Dense(3)), (4, 5), (4, 3)),
]


@pytest.mark.parametrize("cls,kwargs,input_shape,output_shape", CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_layer_harness(cls, kwargs, input_shape, output_shape):
    run_layer_test(cls, kwargs, input_shape, expected_output_shape=output_shape)


def test_every_exported_family_layer_is_in_the_table():
    families = ("convolutional", "pooling", "normalization", "regularization", "activations")
    exported = {obj for obj in vars(layers).values() if isinstance(obj, type)
                and issubclass(obj, layers.Layer)
                and obj.__module__.split(".")[2] in families}
    covered = {case[0] for case in CASES}
    assert exported - covered == set()


def test_masked_global_average_pooling_averages_unmasked_steps_only():
    x = np.arange(12, dtype="float32").reshape(1, 4, 3)
    mask = torch.tensor([[True, True, False, False]])
    layer = run_layer_test(layers.GlobalAveragePooling1D, {}, (1, 4, 3), input_data=x,
                           call_kwargs={"mask": mask})
    out = layer(x, mask=mask).numpy()
    np.testing.assert_allclose(out, x[:, :2].mean(axis=1))
