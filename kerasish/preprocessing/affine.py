"""Keras's random image transforms (rotation, shift, shear, zoom) as one torch `grid_sample` per batch.

The matrices are Keras's (`keras.preprocessing.image.apply_affine_transform`), including its convention
that the first matrix coordinate runs along the columns; sampling follows `scipy.ndimage`'s boundary
modes so that results match Keras's scipy-based implementation.
"""

import numpy as np
import torch
import torch.nn.functional as F

_ORDERS = {0: "nearest", 1: "bilinear", 3: "bicubic"}


def transform_matrix(theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, h=1, w=1):
    """The 3x3 matrix mapping output to input coordinates `(col, row, 1)`, centred on the image."""
    m = np.eye(3)
    if theta:
        t = np.deg2rad(theta)
        m = m @ np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]])
    if tx or ty:
        m = m @ np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
    if shear:
        s = np.deg2rad(shear)
        m = m @ np.array([[1, -np.sin(s), 0], [0, np.cos(s), 0], [0, 0, 1]])
    if zx != 1 or zy != 1:
        m = m @ np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])
    o_x, o_y = float(h) / 2 - 0.5, float(w) / 2 - 0.5
    offset = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return offset @ m @ reset


def is_identity(params):
    return not (params.get("theta") or params.get("tx") or params.get("ty") or params.get("shear")
                or params.get("zx", 1) != 1 or params.get("zy", 1) != 1)


def _reflect(c, n):
    """scipy's 'reflect' (d c b a | a b c d | d c b a): fold into [-0.5, n - 0.5], then clamp."""
    period = 2 * n
    c = torch.remainder(c + 0.5, period) - 0.5
    c = torch.where(c > n - 0.5, period - 1 - c, c)
    return c.clamp(0, n - 1)


def _wrap(c, n):
    return torch.remainder(c, n).clamp(0, n - 1)


_FOLD = {"nearest": lambda c, n: c.clamp(0, n - 1), "reflect": _reflect, "wrap": _wrap,
         "constant": lambda c, n: c.clamp(0, n - 1)}


def fill_modes():
    return sorted(_FOLD)


def apply_affine_batch(images, matrices, fill_mode="nearest", cval=0.0, order=1):
    """Warps a batch of channels-last images `(n, h, w, c)` by per-image 3x3 matrices (from
    `transform_matrix`); returns a new float tensor of the same shape."""
    if order not in _ORDERS:
        raise ValueError(f"`interpolation_order` must be one of {sorted(_ORDERS)}. Received: {order}")
    if fill_mode not in _FOLD:
        raise ValueError(f"`fill_mode` must be one of {fill_modes()}. Received: fill_mode={fill_mode!r}")
    n, h, w, _ = images.shape
    m = torch.as_tensor(np.asarray(matrices), dtype=torch.float64)
    rows, cols = torch.meshgrid(torch.arange(h, dtype=torch.float64), torch.arange(w, dtype=torch.float64),
                                indexing="ij")
    # Keras's matrix acts on (col, row); output pixel (row, col) samples input (row_in, col_in).
    col_in = m[:, 0, 0, None, None] * cols + m[:, 0, 1, None, None] * rows + m[:, 0, 2, None, None]
    row_in = m[:, 1, 0, None, None] * cols + m[:, 1, 1, None, None] * rows + m[:, 1, 2, None, None]
    inside = None
    if fill_mode == "constant":
        eps = 1e-6
        inside = ((row_in > -eps) & (row_in < h - 1 + eps) & (col_in > -eps) & (col_in < w - 1 + eps))
    fold = _FOLD[fill_mode]
    row_in, col_in = fold(row_in, h), fold(col_in, w)
    grid = torch.stack([2 * col_in / max(w - 1, 1) - 1, 2 * row_in / max(h - 1, 1) - 1], dim=-1)
    x = images.permute(0, 3, 1, 2).to(torch.float64)
    out = F.grid_sample(x, grid, mode=_ORDERS[order], padding_mode="border", align_corners=True)
    if inside is not None:
        out = torch.where(inside[:, None], out, torch.as_tensor(cval, dtype=out.dtype))
    return out.permute(0, 2, 3, 1).to(images.dtype)
