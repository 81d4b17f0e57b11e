"""Parity cases of `ops.image`."""

import numpy as np

from tests.ops.parity import case

rng = np.random.default_rng(5)
IMG = rng.random((2, 12, 10, 3)).astype("float32")
IMG_CF = np.ascontiguousarray(IMG.transpose(0, 3, 1, 2))
ONE = IMG[0]
U8 = (IMG * 255).astype("uint8")
M = "image"

GRID = np.stack(np.meshgrid(np.linspace(-3, 14, 7), np.linspace(-2, 11, 5), indexing="ij")).astype(
    "float32")
PLANE = IMG[0, :, :, 0].copy()
ROT1 = np.array([0.9, -0.3, 2.0, 0.3, 0.9, -1.0, 0.0, 0.0], "float32")
ROT = np.stack([ROT1, ROT1])  # Keras's torch backend wants one transform per image of a batch
SHIFTS = np.array([[1, 0, 1.5, 0, 1, -2.5, 0, 0], [0.8, 0.1, 0, -0.1, 1.2, 1, 0, 0]], "float32")
START = np.array([[0, 0], [9, 0], [0, 11], [9, 11]], "float32")
END = np.array([[1, 2], [8, 0], [0, 10], [9, 9]], "float32")

BIG = rng.random((2, 16, 14, 3)).astype("float32")  # ssim's default window needs 11x11
BIG2 = np.clip(BIG + 0.3 * rng.random(BIG.shape) - 0.15, 0, 1).astype("float32")
VOL = rng.random((2, 7, 8, 9, 2)).astype("float32")
VOL_CF = np.ascontiguousarray(VOL.transpose(0, 4, 1, 2, 3))
DOWN = ((2, 6, 7, 3), [0.5, 0.7], [1.0, -0.3], (1, 2))  # output shape, scale, translation, dims
UP = ((2, 24, 15, 3), [2.0, 1.5], [0.5, 0.0], (-3, -2))


def _cf(x):
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2))


def _within_range(ours, ref):
    # Random displacement fields (torch's global generator in Keras, between the two calls):
    # only shape and dtype compare, and bilinear sampling with "reflect" stays in the input's
    # range; tests/ops/test_image_extra.py compares values under one seed.
    assert ours.shape == ref.shape and ours.dtype == ref.dtype
    assert float(ours.min()) >= float(BIG.min()) - 1e-6 and float(ours.max()) <= float(BIG.max()) + 1e-6


def _within_one(ours, ref):
    diff = np.abs(ours.numpy().astype(int) - ref.numpy().astype(int))
    assert diff.max() <= 1 and (diff > 0).mean() < 0.01


CASES = [
    case("map_coordinates", PLANE, GRID, 1, _module=M),
    case("map_coordinates", PLANE, GRID, 0, _module=M, _id="map_coordinates-nearest"),
    *[case("map_coordinates", PLANE, GRID, 1, fill_mode=mode, _module=M,
           _id=f"map_coordinates-{mode}") for mode in ("nearest", "wrap", "mirror", "reflect")],
    case("map_coordinates", PLANE, GRID, 1, fill_value=-1.0, _module=M,
         _id="map_coordinates-fill"),
    case("map_coordinates", (PLANE * 100).astype("int32"), GRID, 1, _module=M,
         _id="map_coordinates-int"),
    case("affine_transform", IMG, ROT, _module=M, _rtol=1e-4, _atol=1e-5),
    case("affine_transform", IMG, SHIFTS, interpolation="nearest", _module=M,
         _id="affine_transform-batch-nearest"),
    *[case("affine_transform", IMG, ROT, fill_mode=mode, _module=M, _rtol=1e-4, _atol=1e-5,
           _id=f"affine_transform-{mode}") for mode in ("nearest", "wrap", "mirror", "reflect")],
    case("affine_transform", ONE, ROT1, _module=M, _rtol=1e-4, _atol=1e-5,
         _id="affine_transform-single"),
    case("affine_transform", IMG_CF, ROT, fill_value=0.5, data_format="channels_first",
         _module=M, _rtol=1e-4, _atol=1e-5, _id="affine_transform-cf"),
    # Coordinates are computed in float32 in a different order than Keras's einsum, so a value
    # sitting on .5 may round the other way: uint8 results agree to 1.
    case("affine_transform", U8, ROT, _module=M, _id="affine_transform-uint8",
         _compare=_within_one),
    case("perspective_transform", IMG, START, END, _module=M, _rtol=1e-3, _atol=1e-4),
    case("perspective_transform", IMG, START, END, interpolation="nearest", _module=M,
         _id="perspective_transform-nearest", _rtol=1e-3, _atol=1e-4),
    case("rgb_to_grayscale", IMG, _module=M, _grad=True),
    case("rgb_to_grayscale", IMG_CF, data_format="channels_first", _module=M,
         _id="rgb_to_grayscale-cf"),
    case("rgb_to_grayscale", ONE, _module=M, _id="rgb_to_grayscale-single"),
    case("rgb_to_hsv", IMG, _module=M, _rtol=1e-5, _atol=1e-6),
    case("rgb_to_hsv", IMG_CF, data_format="channels_first", _module=M, _id="rgb_to_hsv-cf"),
    case("hsv_to_rgb", IMG, _module=M, _grad=True),
    case("resize", IMG, (6, 5), _module=M, _grad=True),
    case("resize", IMG, (24, 20), interpolation="nearest", _module=M, _id="resize-nearest"),
    case("resize", IMG, (7, 9), interpolation="bicubic", _module=M, _id="resize-bicubic",
         _rtol=1e-4, _atol=1e-5),
    case("resize", IMG, (5, 4), antialias=True, _module=M, _id="resize-antialias"),
    case("resize", IMG, (8, 8), crop_to_aspect_ratio=True, _module=M, _id="resize-crop-aspect"),
    case("resize", IMG, (8, 4), pad_to_aspect_ratio=True, fill_value=0.5, _module=M,
         _id="resize-pad-aspect"),
    case("resize", U8, (6, 5), _module=M, _id="resize-uint8"),
    case("resize", U8, (6, 5), interpolation="bicubic", _module=M, _id="resize-uint8-bicubic"),
    case("resize", ONE, (6, 5), _module=M, _id="resize-single"),
    case("resize", IMG_CF, (6, 5), data_format="channels_first", _module=M, _id="resize-cf"),
    case("pad_images", IMG, 1, 2, 3, 0, _module=M),
    case("pad_images", IMG, top_padding=1, left_padding=2, target_height=16, target_width=13,
         _module=M, _id="pad_images-target"),
    case("pad_images", IMG_CF, 1, 1, 1, 1, data_format="channels_first", _module=M,
         _id="pad_images-cf"),
    case("pad_images", ONE, 2, 0, 0, 2, _module=M, _id="pad_images-single"),
    case("crop_images", IMG, 1, 2, 3, 0, _module=M),
    case("crop_images", IMG, top_cropping=1, left_cropping=2, target_height=6, target_width=5,
         _module=M, _id="crop_images-target"),
    case("crop_images", IMG_CF, bottom_cropping=2, right_cropping=1, target_height=4,
         target_width=3, data_format="channels_first", _module=M, _id="crop_images-cf"),
    case("extract_patches", IMG, 3, _module=M),
    case("extract_patches", IMG, (3, 2), strides=(2, 1), _module=M, _id="extract_patches-strides"),
    case("extract_patches", IMG, 3, strides=2, padding="same", _module=M,
         _id="extract_patches-same"),
    case("extract_patches", IMG, 2, strides=1, dilation_rate=2, _module=M,
         _id="extract_patches-dilated"),
    case("extract_patches", IMG_CF, 2, data_format="channels_first", _module=M,
         _id="extract_patches-cf"),
    case("extract_patches", ONE, 4, _module=M, _id="extract_patches-single"),
    # Keras 3.15's torch gaussian_blur reads data_format=None as channels_first (its wrapper does
    # not standardize it); kerasish follows image_data_format (tests/ops/test_image_extra.py), so
    # the comparison names the format.
    case("gaussian_blur", IMG, data_format="channels_last", _module=M, _grad=True),
    case("gaussian_blur", IMG, kernel_size=(5, 5), sigma=(2.0, 0.5), data_format="channels_last",
         _module=M, _id="gaussian_blur-5x5"),
    case("gaussian_blur", IMG_CF, data_format="channels_first", _module=M, _id="gaussian_blur-cf"),
    case("sobel_edges", IMG, _module=M, _grad=True),
    case("sobel_edges", IMG_CF, data_format="channels_first", _module=M, _id="sobel_edges-cf"),
]

SCALE_AND_TRANSLATE = [
    *[case("scale_and_translate", IMG, *geometry, method, antialias=aa, _module=M, _rtol=1e-5,
           _atol=1e-5, _id=f"scale_and_translate-{method}-{kind}-aa{int(aa)}")
      for method in ("linear", "bicubic", "lanczos3", "lanczos5")
      for kind, geometry in (("down", DOWN), ("up", UP)) for aa in (True, False)],
    *[case("scale_and_translate", IMG, *DOWN, method, _module=M, _atol=1e-5,
           _id=f"scale_and_translate-{method}") for method in ("bilinear", "trilinear", "cubic",
                                                               "tricubic")],
    case("scale_and_translate", np.arange(9, dtype="float32").reshape(3, 3), (5, 5),
         np.array([2.0, 2.0], "float32"), np.array([-0.5, -0.5], "float32"), (0, 1), "linear",
         _module=M, _id="scale_and_translate-plane"),
    case("scale_and_translate", IMG.astype("float64"), *DOWN, "cubic", _module=M,
         _id="scale_and_translate-float64"),
    case("scale_and_translate", U8, *DOWN, "lanczos3", _module=M, _id="scale_and_translate-uint8"),
    case("scale_and_translate", IMG, (2, 12, 8, 3), [0.8], [0.5], (2,), "cubic", _module=M,
         _atol=1e-5, _id="scale_and_translate-one-dim"),
    case("scale_and_translate", IMG, *DOWN, "lanczos3", _module=M, _grad=True, _atol=1e-5,
         _id="scale_and_translate-grad"),
    case("scale_and_translate", IMG_CF, (2, 3, 6, 7), [0.5, 0.7], [1.0, -0.3], (2, 3), "linear",
         _module=M, _grad=True, _id="scale_and_translate-cf-grad"),
]

ELASTIC = [
    # alpha=0 leaves every pixel where it is, whatever was drawn: values compare exactly.
    case("elastic_transform", IMG, alpha=0.0, _module=M, _grad=True, _id="elastic_transform-a0"),
    case("elastic_transform", ONE, alpha=0.0, interpolation="nearest", _module=M,
         _id="elastic_transform-a0-single-nearest"),
    case("elastic_transform", IMG_CF, alpha=0.0, sigma=2.0, data_format="channels_first",
         _module=M, _id="elastic_transform-a0-cf"),
    case("elastic_transform", IMG.astype("float64"), alpha=0.0, fill_mode="constant", _module=M,
         _id="elastic_transform-a0-float64"),
    case("elastic_transform", BIG, _module=M, _compare=_within_range, _id="elastic_transform"),
]

SSIM = [
    case("ssim", BIG, BIG2, _module=M, _grad=True),
    case("ssim", BIG, BIG, _module=M, _id="ssim-identical"),
    case("ssim", BIG[0], BIG2[0], _module=M, _id="ssim-single"),
    case("ssim", _cf(BIG), _cf(BIG2), data_format="channels_first", _module=M, _id="ssim-cf"),
    case("ssim", IMG, IMG[::-1], max_val=2.0, filter_size=5, filter_sigma=1.0, k1=0.02, k2=0.05,
         _module=M, _id="ssim-args"),
    case("ssim", IMG, IMG[::-1], filter_size=4, _module=M, _id="ssim-even-filter"),
    case("ssim", BIG.astype("float64"), BIG2, _module=M, _id="ssim-float64"),
    case("ssim", (BIG * 255).astype("uint8"), (BIG2 * 255).astype("uint8"), max_val=255.0,
         _module=M, _id="ssim-uint8"),
]

PATCHES_3D = [
    case("extract_patches_3d", VOL, (2, 3, 2), _module=M, _grad=True),
    case("extract_patches_3d", VOL, 3, strides=2, padding="same", _module=M,
         _id="extract_patches_3d-same"),
    case("extract_patches_3d", VOL, (2, 2, 2), strides=1, dilation_rate=2, _module=M,
         _id="extract_patches_3d-dilated"),
    case("extract_patches_3d", VOL, (2, 3, 3), strides=(1, 2, 3), _module=M,
         _id="extract_patches_3d-strides"),
    case("extract_patches_3d", VOL_CF, 2, data_format="channels_first", _module=M,
         _id="extract_patches_3d-cf"),
    case("extract_patches_3d", VOL[0], (3, 2, 4), _module=M, _id="extract_patches_3d-single"),
    case("extract_patches_3d", VOL.astype("float64"), 2, _module=M,
         _id="extract_patches_3d-float64"),
    case("extract_patches", VOL, (2, 3, 2), _module=M, _id="extract_patches-3d-size"),
    case("extract_patches", VOL_CF, (2, 2, 3), strides=1, data_format="channels_first",
         _module=M, _id="extract_patches-3d-cf"),
]

CASES += SCALE_AND_TRANSLATE + ELASTIC + SSIM + PATCHES_3D
