"""Small helpers shared by the geometric image layers (argument checks, shapes, transforms)."""

import torch

from kerasish.random.seed_generator import SeedGenerator

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def check_choice(name, value, choices):
    if value not in choices:
        raise ValueError(f"Unknown `{name}`; expected one of {choices}. Received: {name}={value!r}")
    return value


def set_warp_options(layer, fill_mode, interpolation, fill_value, seed):
    """The options every warping layer (rotation, zoom, translation, shear) checks and keeps, and
    its seed generator."""
    check_choice("fill_mode", fill_mode, FILL_MODES)
    check_choice("interpolation", interpolation, INTERPOLATIONS)
    layer.fill_mode = fill_mode
    layer.fill_value = fill_value
    layer.interpolation = interpolation
    layer.seed = seed
    layer.generator = SeedGenerator(seed)


def images_of(data):
    return data["images"] if isinstance(data, dict) else data


def batch_height_width(shape, data_format):
    """(batch size, height, width) of a rank-3 (batch 1) or rank-4 image shape."""
    batch = 1 if len(shape) == 3 else shape[0]
    if data_format == "channels_first":
        return batch, shape[-2], shape[-1]
    return batch, shape[-3], shape[-2]


def transformed_xy(x, y, transform):
    """Where the (B, 8) projective `transform` sends the output point (x, y) in the input."""
    a0, a1, a2, b0, b1, b2, c0, c1 = (transform[:, i:i + 1] for i in range(8))
    k = c0 * x + c1 * y + 1
    return (a0 * x + a1 * y + a2) / k, (b0 * x + b1 * y + b2) / k


def clip_boxes_to_window(boxes, h_end, h_start, w_end, w_start):
    """"xyxy" boxes clipped to a per-image window, in the window's frame (Keras's zoom/crop rule).
    The window bounds are (B, 1) tensors or Python numbers."""
    if boxes.ndim == 3 and isinstance(h_end, torch.Tensor):
        h_end, h_start, w_end, w_start = (v.unsqueeze(-1) for v in (h_end, h_start, w_end, w_start))
    x1, y1, x2, y2 = (boxes[..., i:i + 1] for i in range(4))
    clip = lambda v, lo, hi: torch.minimum(torch.maximum(v, _like(lo, v)), _like(hi, v))  # noqa: E731
    return torch.cat([clip(x1, w_start, w_end) - w_start, clip(y1, h_start, h_end) - h_start,
                      clip(x2, w_start, w_end) - w_start, clip(y2, h_start, h_end) - h_start], -1)


def _like(value, ref):
    if isinstance(value, torch.Tensor):
        return value.to(device=ref.device, dtype=ref.dtype)
    return torch.tensor(value, dtype=ref.dtype, device=ref.device)


def zeros(n, like):
    return torch.zeros((n,), dtype=like.dtype, device=like.device)
