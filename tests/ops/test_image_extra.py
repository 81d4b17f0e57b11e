"""`ops.image` beyond value parity: defaults, errors, references Keras cannot give."""

import numpy as np
import pytest

from kerasish import ops

IMG = np.random.default_rng(0).random((2, 8, 6, 3)).astype("float32")


def test_gaussian_blur_default_follows_image_data_format():
    default = ops.image.gaussian_blur(IMG)
    explicit = ops.image.gaussian_blur(IMG, data_format="channels_last")
    np.testing.assert_array_equal(default.numpy(), explicit.numpy())


def test_hsv_round_trip():
    back = ops.image.hsv_to_rgb(ops.image.rgb_to_hsv(IMG))
    np.testing.assert_allclose(back.numpy(), IMG, atol=1e-6)


@pytest.mark.parametrize("call, match", [
    (lambda: ops.image.resize(IMG, (4,)), "size"),
    (lambda: ops.image.resize(IMG, (0, 4)), "positive"),
    (lambda: ops.image.resize(IMG, (4, 4), interpolation="cubic"), "interpolation"),
    (lambda: ops.image.resize(IMG, (4, 4), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True),
     "Only one"),
    (lambda: ops.image.resize(IMG[0, 0], (4, 4)), "rank"),
    (lambda: ops.image.pad_images(IMG, 1, 1, 1, 1, target_height=3), "exactly two"),
    (lambda: ops.image.crop_images(IMG, 1, target_height=20, left_cropping=0, right_cropping=0),
     "exceeds"),
    (lambda: ops.image.rgb_to_hsv(IMG.astype("int32")), "float"),
    (lambda: ops.image.rgb_to_grayscale(np.ones((2, 4, 4, 2), "float32")), "channel"),
])
def test_bad_arguments_are_value_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_resize_area_is_not_a_keras_mode():
    with pytest.raises(ValueError, match="interpolation"):
        ops.image.resize(IMG, (4, 4), interpolation="area")


def test_affine_transform_is_projective_with_c0_c1():
    # The documented formula, checked pointwise: out(x, y) = in(x', y') with
    # x' = (a0 x + a1 y + a2) / k, y' = (b0 x + b1 y + b2) / k, k = c0 x + c1 y + 1.
    img = np.arange(48, dtype="float32").reshape(6, 8, 1)
    t = np.array([1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.1, 0.05], "float32")
    out = ops.image.affine_transform(img, t, interpolation="nearest").numpy()
    for y in range(6):
        for x in range(8):
            k = 0.1 * x + 0.05 * y + 1
            xs, ys = np.round(x / k), np.round(y / k)
            assert out[y, x, 0] == img[int(ys), int(xs), 0]


def test_map_coordinates_errors():
    with pytest.raises(ValueError, match="rank of `inputs`"):
        ops.image.map_coordinates(np.ones((3, 3)), [np.zeros(2)], 1)
    with pytest.raises(ValueError, match="fill_mode"):
        ops.image.map_coordinates(np.ones((3, 3)), np.zeros((2, 2)), 1, fill_mode="edge")
    with pytest.raises(NotImplementedError, match="order"):
        ops.image.map_coordinates(np.ones((3, 3)), np.zeros((2, 2)), 3)
