"""`ops.math` argument errors and round trips."""

import numpy as np
import pytest
import torch

from kerasish import ops


def test_stft_istft_round_trip():
    x = torch.randn(3, 2, 128)
    spec = ops.stft(x, 32, 8, 32)
    np.testing.assert_allclose(ops.istft(spec, 32, 8, 32, length=128).numpy(), x.numpy(),
                               atol=1e-5)


@pytest.mark.parametrize("call, match", [
    (lambda: ops.segment_sum(np.ones((4, 2)), np.zeros((4, 1), "int32")), "1-D"),
    (lambda: ops.segment_sum(np.ones((4, 2)), np.zeros(3, "int32")), "leading dimension"),
    (lambda: ops.stft(np.ones(32, "float32"), 16, 0, 16), "sequence_stride"),
    (lambda: ops.stft(np.ones(32, "float32"), 16, 4, 8), "fft_length"),
    (lambda: ops.stft(np.ones(32, "float32"), 16, 4, 16, window="kaiser"), "window"),
    (lambda: ops.fft(np.ones(3)), "tuple of two"),
    (lambda: ops.cdist(np.ones((2, 3)), np.ones((2, 4))), "Last dimension"),
    (lambda: ops.view_as_complex(np.ones((2, 3))), "size 2"),
])
def test_bad_arguments_are_value_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_stft_refuses_integer_signals():
    with pytest.raises(TypeError, match="float32"):
        ops.stft(np.ones(32, "int32"), 16, 4, 16)
