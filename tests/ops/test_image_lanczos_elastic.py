"""Lanczos resizing (Keras's torch backend refuses it: checked against a numpy reference of
`jax.image.resize`), elastic_transform's values under one seed, and the new ops' errors."""

import numpy as np
import pytest
import torch

from kerasish import ops
from kerasish.random import SeedGenerator

IMG = np.random.default_rng(1).random((2, 12, 10, 3)).astype("float32")


def _lanczos_matrix(in_size, out_size, radius, antialias):
    """(out, in) weights of `jax.image.resize`: kernel sinc(x) sinc(x / radius) at the distance
    from each output's sample point to each input centre, widened by 1/scale when downsampling
    with antialias, rows normalised to 1."""
    scale = out_size / in_size
    width = max(1.0 / scale, 1.0) if antialias else 1.0
    centres = (np.arange(out_size) + 0.5) / scale - 0.5
    x = (np.arange(in_size)[None, :] - centres[:, None]) / width
    w = np.where(np.abs(x) < radius, np.sinc(x) * np.sinc(x / radius), 0.0)
    return w / w.sum(axis=1, keepdims=True)


def _reference(images, size, radius, antialias):
    out = images.astype("float64")
    if size[0] != images.shape[1]:
        out = np.einsum("oi,bijc->bojc", _lanczos_matrix(images.shape[1], size[0], radius,
                                                         antialias), out)
    if size[1] != images.shape[2]:
        out = np.einsum("oj,bijc->bioc", _lanczos_matrix(images.shape[2], size[1], radius,
                                                         antialias), out)
    return out


@pytest.mark.parametrize("method, radius", [("lanczos3", 3), ("lanczos5", 5)])
@pytest.mark.parametrize("size", [(5, 4), (24, 17), (12, 7), (30, 3)])
@pytest.mark.parametrize("antialias", [False, True])
def test_lanczos_resize_matches_numpy_reference(method, radius, size, antialias):
    ours = ops.image.resize(IMG, size, interpolation=method, antialias=antialias)
    assert ours.dtype == torch.float32 and tuple(ours.shape) == (2, *size, 3)
    np.testing.assert_allclose(ours.numpy(), _reference(IMG, size, radius, antialias),
                               rtol=1e-4, atol=1e-5)


def test_lanczos_resize_channels_first_single_and_aspect():
    cf = np.ascontiguousarray(IMG.transpose(0, 3, 1, 2))
    ours = ops.image.resize(cf, (7, 5), interpolation="lanczos3", data_format="channels_first")
    ref = _reference(IMG, (7, 5), 3, False).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(ours.numpy(), ref, rtol=1e-4, atol=1e-5)
    single = ops.image.resize(IMG[0], (7, 5), interpolation="lanczos5")
    np.testing.assert_allclose(single.numpy(), _reference(IMG, (7, 5), 5, False)[0], rtol=1e-4,
                               atol=1e-5)
    cropped = ops.image.resize(IMG, (6, 6), interpolation="lanczos3", crop_to_aspect_ratio=True)
    np.testing.assert_allclose(cropped.numpy(), _reference(IMG[:, 1:11], (6, 6), 3, False),
                               rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("method", ["lanczos3", "lanczos5"])
def test_lanczos_resize_invariants(method):
    const = np.full((1, 9, 11, 2), 0.7, "float32")
    for size in ((4, 5), (20, 13)):
        out = ops.image.resize(const, size, interpolation=method, antialias=True)
        np.testing.assert_allclose(out.numpy(), 0.7, rtol=1e-6)
    same = ops.image.resize(IMG, (12, 10), interpolation=method)
    np.testing.assert_array_equal(same.numpy(), IMG)
    # uint8 stays uint8: rounded and clipped (Lanczos overshoots at edges).
    edges = np.zeros((1, 8, 8, 1), "uint8")
    edges[:, :, 4:] = 255
    up = ops.image.resize(edges, (8, 19), interpolation=method)
    exact = _reference(edges, (8, 19), int(method[-1]), False)
    ref = np.clip(np.round(exact), 0, 255)
    assert up.dtype == torch.uint8 and exact.min() < -1 and exact.max() > 256
    # float32 vs float64: values on a .5 tie may round either way.
    tie = np.abs(np.abs(exact - np.floor(exact)) - 0.5) < 1e-3
    diff = np.abs(up.numpy().astype(int) - ref.astype(int))
    assert diff.max() <= 1 and not diff[~tie].any()


def test_lanczos_resize_gradient():
    x = torch.tensor(IMG, requires_grad=True)
    ops.image.resize(x, (5, 4), interpolation="lanczos3").sum().backward()
    # d(sum)/dx = column sums of the weight matrices (outer product).
    col_h = _lanczos_matrix(12, 5, 3, False).sum(axis=0)
    col_w = _lanczos_matrix(10, 4, 3, False).sum(axis=0)
    expected = np.broadcast_to(np.outer(col_h, col_w)[None, :, :, None], IMG.shape)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-4, atol=1e-5)


# ------------------------------------------------------------------ elastic_transform
@pytest.mark.parametrize("kwargs", [
    {},
    dict(interpolation="nearest", fill_mode="constant", fill_value=0.5, alpha=5.0, sigma=2.0),
    dict(fill_mode="wrap", data_format="channels_first"),
    dict(fill_mode="mirror", alpha=50.0, sigma=3.0),
])
def test_elastic_transform_matches_keras_on_torch_global_generator(keras, kwargs):
    # With seed=None both libraries draw the two fields from torch's global generator.
    images = IMG if kwargs.get("data_format") != "channels_first" else IMG.transpose(0, 3, 1, 2)
    torch.manual_seed(7)
    ours = ops.image.elastic_transform(images, **kwargs)
    torch.manual_seed(7)
    ref = keras.ops.image.elastic_transform(images, **kwargs)
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    np.testing.assert_allclose(ours.numpy(), ref.numpy(), rtol=1e-5, atol=2e-5)
    assert np.abs(ours.numpy() - images).max() > 0.05  # it did deform


def test_elastic_transform_int_seed_is_keras_seeded_generator(keras, monkeypatch):
    # Keras's torch backend seeds one generator from `seed` (draw_seed, first + second) for both
    # fields, but on CPU it passes generator=None; feed its draws from that generator.
    from keras.src.random.seed_generator import draw_seed
    first, second = draw_seed(123)
    gen = torch.Generator().manual_seed(int(first + second))
    normal = torch.normal

    def seeded_normal(*args, generator=None, **kwargs):
        return normal(*args, generator=gen if generator is None else generator, **kwargs)

    monkeypatch.setattr(torch, "normal", seeded_normal)
    ref = keras.ops.image.elastic_transform(IMG[0], seed=123)
    monkeypatch.setattr(torch, "normal", normal)
    ours = ops.image.elastic_transform(IMG[0], seed=123)
    np.testing.assert_allclose(ours.numpy(), ref.numpy(), rtol=1e-5, atol=2e-5)


def test_elastic_transform_gradient_matches_keras(keras):
    grads = []
    for lib in (ops, keras.ops):
        x = torch.tensor(IMG, requires_grad=True)
        torch.manual_seed(11)
        (lib.image.elastic_transform(x, alpha=10.0, sigma=2.0) ** 2).sum().backward()
        grads.append(x.grad.numpy())
    assert np.abs(grads[0]).max() > 0
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-4, atol=1e-4)


def test_elastic_transform_uint8_stays_uint8():
    # Keras's torch backend fails here (it draws normals in uint8); kerasish draws in float32.
    u8 = (IMG * 255).astype("uint8")
    out = ops.image.elastic_transform(u8, seed=3)
    ref = ops.image.elastic_transform(u8.astype("float32"), seed=3)
    assert out.dtype == torch.uint8 and out.shape == u8.shape
    np.testing.assert_array_equal(out.numpy(), np.round(ref.numpy()).astype("uint8"))


def test_elastic_transform_seeds():
    a = ops.image.elastic_transform(IMG, seed=1)
    np.testing.assert_array_equal(a.numpy(), ops.image.elastic_transform(IMG, seed=1).numpy())
    assert not np.allclose(a.numpy(), ops.image.elastic_transform(IMG, seed=2).numpy())
    gen = SeedGenerator(5)
    first = ops.image.elastic_transform(IMG, seed=gen)
    assert not np.allclose(first.numpy(), ops.image.elastic_transform(IMG, seed=gen).numpy())


# ------------------------------------------------------------------ errors
VOL = np.zeros((2, 6, 6, 6, 1), "float32")


@pytest.mark.parametrize("call, match", [
    (lambda: ops.image.scale_and_translate(IMG, (2, 6, 5, 3), [1, 1], [0, 0], (1, 2), "box"),
     "method"),
    (lambda: ops.image.scale_and_translate(IMG, (6, 5), [1, 1], [0, 0], (1, 2), "linear"),
     "output_shape"),
    (lambda: ops.image.scale_and_translate(IMG, (2, 6, 5, 3), [1], [0, 0], (1, 2), "linear"),
     "scale"),
    (lambda: ops.image.scale_and_translate(IMG, (2, 6, 5, 3), [1, 1], [0, 0], (1, 4), "linear"),
     "spatial_dims"),
    (lambda: ops.image.elastic_transform(IMG, interpolation="bicubic"), "interpolation"),
    (lambda: ops.image.elastic_transform(IMG, fill_mode="edge"), "fill_mode"),
    (lambda: ops.image.elastic_transform(IMG, sigma=0.0), "sigma"),
    (lambda: ops.image.elastic_transform(IMG[0, 0]), "rank"),
    (lambda: ops.image.ssim(IMG, IMG[:1]), "same shape"),
    (lambda: ops.image.ssim(IMG, IMG), "filter_size"),
    (lambda: ops.image.ssim(IMG[0, 0], IMG[0, 0]), "image1 rank"),
    (lambda: ops.image.extract_patches_3d(VOL[0, 0], 2), "rank"),
    (lambda: ops.image.extract_patches_3d(VOL, (2, 2)), "size"),
    (lambda: ops.image.extract_patches_3d(VOL, 2, strides=(1, 1)), "strides"),
    (lambda: ops.image.extract_patches_3d(VOL, 7), "larger"),
    (lambda: ops.image.extract_patches_3d(VOL, 2, padding="full"), "padding"),
    (lambda: ops.image.extract_patches(VOL, (2, 2, 2, 2)), "length 2 or 3"),
])
def test_bad_arguments_are_value_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()
