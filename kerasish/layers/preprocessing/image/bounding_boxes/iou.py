"""`compute_iou` and `compute_ciou` (Keras 3's `keras.utils.bounding_boxes`), on torch tensors."""

import math

import torch

from kerasish.backend import config
from kerasish.layers.preprocessing.image.bounding_boxes.converters import convert_format


def _check_rank(name, boxes):
    if boxes.ndim not in (2, 3):
        raise ValueError(f"compute_iou() expects {name} to have rank 2 (unbatched) or 3 "
                         f"(batched). Received: {name}.shape={tuple(boxes.shape)}")


def _area(yxyx):
    return (yxyx[..., 2] - yxyx[..., 0]) * (yxyx[..., 3] - yxyx[..., 1])


def _intersection(boxes1, boxes2):
    """(..., N, M) intersection areas of yxyx boxes."""
    b2 = boxes2.unsqueeze(-3)  # (..., 1, M, 4)
    b1 = boxes1.unsqueeze(-2)  # (..., N, 1, 4)
    height = torch.minimum(b1[..., 2], b2[..., 2]) - torch.maximum(b1[..., 0], b2[..., 0])
    width = torch.minimum(b1[..., 3], b2[..., 3]) - torch.maximum(b1[..., 1], b2[..., 1])
    return torch.clamp(height, min=0) * torch.clamp(width, min=0)


def compute_iou(boxes1, boxes2, bounding_box_format, use_masking=False, mask_val=-1,
                image_shape=None):
    """Pairwise IoU of two sets of boxes: `(M, 4), (N, 4) -> (M, N)`, batched `(B, M, N)` when
    either is batched. With `use_masking`, pairs involving a box whose coordinates are all
    negative get `mask_val`."""
    if "rel" in bounding_box_format and image_shape is None:
        raise ValueError("When using relative bounding box formats (e.g. `rel_yxyx`) the "
                         f"`image_shape` argument must be provided. Received: image_shape=None")
    height, width = (None, None) if image_shape is None else tuple(image_shape)[:2]
    boxes1 = convert_format(boxes1, bounding_box_format, "yxyx", height, width)
    boxes2 = convert_format(boxes2, bounding_box_format, "yxyx", height, width)
    _check_rank("boxes1", boxes1)
    _check_rank("boxes2", boxes2)
    intersection = _intersection(boxes1, boxes2)
    union = _area(boxes1).unsqueeze(-1) + _area(boxes2).unsqueeze(-2) - intersection
    iou = intersection / (union + config.epsilon())
    if not use_masking:
        return iou
    mask1 = (boxes1.amax(-1) < 0).unsqueeze(-1)
    mask2 = (boxes2.amax(-1) < 0).unsqueeze(-2)
    return torch.where(mask1 | mask2, torch.full_like(iou, float(mask_val)), iou)


def compute_ciou(boxes1, boxes2, bounding_box_format, image_shape=None):
    """Complete IoU of matching boxes (`(..., 4)` each): IoU minus the normalised centre distance
    and an aspect-ratio term (Zheng et al., 2020)."""
    if "rel" in bounding_box_format:
        raise ValueError("compute_ciou() does not take relative bounding box formats. "
                         f"Received: bounding_box_format={bounding_box_format!r}")
    height, width = (None, None) if image_shape is None else tuple(image_shape)[:2]
    boxes1 = convert_format(boxes1, bounding_box_format, "xyxy", height, width)
    boxes2 = convert_format(boxes2, bounding_box_format, "xyxy", height, width)
    eps = config.epsilon()
    x1a, y1a, x2a, y2a = (boxes1[..., i] for i in range(4))
    x1b, y1b, x2b, y2b = (boxes2[..., i] for i in range(4))
    w1, h1 = x2a - x1a, y2a - y1a + eps
    w2, h2 = x2b - x1b, y2b - y1b + eps
    inter = torch.clamp(torch.minimum(x2a, x2b) - torch.maximum(x1a, x1b), min=0) * \
        torch.clamp(torch.minimum(y2a, y2b) - torch.maximum(y1a, y1b), min=0)
    union = w1 * h1 + w2 * h2 - inter + eps
    iou = inter / (union + eps)
    diagonal = (torch.maximum(x2a, x2b) - torch.minimum(x1a, x1b)) ** 2 + \
        (torch.maximum(y2a, y2b) - torch.minimum(y1a, y1b)) ** 2 + eps
    centres = ((x1a + x2a) / 2 - (x1b + x2b) / 2) ** 2 + ((y1a + y2a) / 2 - (y1b + y2b) / 2) ** 2
    v = (4 / math.pi ** 2) * (torch.atan(w2 / h2) - torch.atan(w1 / h1)) ** 2
    alpha = v / (v - iou + (1 + eps))
    return iou - (centres / diagonal + v * alpha)
