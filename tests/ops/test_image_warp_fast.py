"""The bilinear `affine_transform` fast path (one `grid_sample` over the batch) gives the values of
Keras's per-neighbour gathers (`_sample`), for every fill mode it covers, up to float rounding."""

import math

import numpy as np
import pytest
import torch

from kerasish.ops import image_geometry


def _transforms(n, height, width, rng):
    angle = rng.uniform(-0.6, 0.6, n) * math.pi
    zoom = rng.uniform(0.6, 1.6, n)
    shift = rng.uniform(-1.5, 1.5, (n, 2)) * (width, height)
    cx, cy = (width - 1) / 2, (height - 1) / 2
    c, s = np.cos(angle) * zoom, np.sin(angle) * zoom
    return np.stack([c, -s, cx - c * cx + s * cy + shift[:, 0], s, c, cy - s * cx - c * cy + shift[:, 1],
                     np.zeros(n), np.zeros(n)], 1).astype("float32")


@pytest.mark.parametrize("fill_mode, fill_value", [("reflect", 0.0), ("constant", 0.0), ("constant", 7.5),
                                                   ("nearest", 0.0)])
def test_grid_sample_path_matches_the_gathers(fill_mode, fill_value, monkeypatch):
    rng = np.random.default_rng(0)
    images = torch.as_tensor(rng.uniform(0, 255, (4, 23, 31, 3)).astype("float32"))
    transforms = torch.as_tensor(_transforms(4, 23, 31, rng))
    calls = []
    real = torch.nn.functional.grid_sample
    monkeypatch.setattr(torch.nn.functional, "grid_sample", lambda *a, **k: calls.append(1) or real(*a, **k))
    fast = image_geometry.affine_transform(images, transforms, fill_mode=fill_mode, fill_value=fill_value)
    assert calls, "the bilinear path did not use grid_sample"
    xs, ys = image_geometry._grid(23, 31, torch.float32, images.device)
    t = transforms
    a0, a1, a2, b0, b1, b2, c0, c1 = (t[:, i, None, None] for i in range(8))
    k = c0 * xs + c1 * ys + 1.0
    x_in, y_in = (a0 * xs + a1 * ys + a2) / k, (b0 * xs + b1 * ys + b2) / k
    gathered = torch.stack([image_geometry._sample(images[b], (y_in[b], x_in[b]), 1, fill_mode, fill_value)
                            for b in range(4)])
    np.testing.assert_allclose(fast.numpy(), gathered.numpy(), rtol=0, atol=2e-5 * 255)
    # and the channels-first layout gives the same pixels
    cf = image_geometry.affine_transform(images.permute(0, 3, 1, 2), transforms, fill_mode=fill_mode,
                                         fill_value=fill_value, data_format="channels_first")
    np.testing.assert_allclose(cf.permute(0, 2, 3, 1).numpy(), fast.numpy(), rtol=0, atol=1e-4)


def test_other_modes_and_dtypes_keep_the_gathers(monkeypatch):
    monkeypatch.setattr(torch.nn.functional, "grid_sample", lambda *a, **k: pytest.fail("grid_sample used"))
    images = torch.arange(2 * 5 * 6 * 1, dtype=torch.float32).reshape(2, 5, 6, 1)
    shift = torch.tensor([1.0, 0, 0.5, 0, 1, -0.5, 0, 0])
    for kwargs in (dict(fill_mode="wrap"), dict(fill_mode="mirror"), dict(interpolation="nearest")):
        image_geometry.affine_transform(images, shift, **kwargs)
    image_geometry.affine_transform(images.to(torch.uint8), shift)
