"""Bounding-box format conversion and geometry (Keras 3's `keras.utils.bounding_boxes`).

Formats (case-insensitive): "xyxy" [left, top, right, bottom], "yxyx", "xywh" [left, top, width,
height], "center_xywh", "center_yxhw", and the relative "rel_xyxy", "rel_yxyx", "rel_xywh",
"rel_center_xywh" (coordinates divided by the image width / height). Every conversion goes
through "xyxy", as Keras's does, so the float results match Keras's.
"""

import math

import numpy as np
import torch

from kerasish.backend import config, dtypes

SUPPORTED_FORMATS = ("xyxy", "yxyx", "xywh", "center_xywh", "center_yxhw", "rel_xyxy",
                     "rel_yxyx", "rel_xywh", "rel_center_xywh")


def _tensor(x, dtype=None):
    if not isinstance(x, torch.Tensor):
        array = np.asarray(x)
        x = torch.as_tensor(array.astype("float32") if array.dtype == np.float64 else array)
    return x if dtype is None else x.to(dtypes.to_torch_dtype(dtype))


def _split(boxes):
    return [boxes[..., i:i + 1] for i in range(4)]


def _cat(parts):
    return torch.cat(parts, dim=-1)


def _center_to_xyxy(cx, cy, w, h):
    return _cat([cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0])


_TO_XYXY = {
    "xyxy": lambda b, h, w: b,
    "yxyx": lambda b, h, w: _cat([b[..., 1:2], b[..., 0:1], b[..., 3:4], b[..., 2:3]]),
    "xywh": lambda b, h, w: _cat([b[..., 0:1], b[..., 1:2], b[..., 0:1] + b[..., 2:3],
                                  b[..., 1:2] + b[..., 3:4]]),
    "center_xywh": lambda b, h, w: _center_to_xyxy(*_split(b)),
    "center_yxhw": lambda b, h, w: _center_to_xyxy(b[..., 1:2], b[..., 0:1], b[..., 3:4],
                                                   b[..., 2:3]),
    "rel_xyxy": lambda b, h, w: _cat([b[..., 0:1] * w, b[..., 1:2] * h, b[..., 2:3] * w,
                                      b[..., 3:4] * h]),
    "rel_yxyx": lambda b, h, w: _cat([b[..., 1:2] * w, b[..., 0:1] * h, b[..., 3:4] * w,
                                      b[..., 2:3] * h]),
    "rel_xywh": lambda b, h, w: _cat([b[..., 0:1] * w, b[..., 1:2] * h,
                                      (b[..., 0:1] + b[..., 2:3]) * w,
                                      (b[..., 1:2] + b[..., 3:4]) * h]),
    "rel_center_xywh": lambda b, h, w: _cat([(b[..., 0:1] - b[..., 2:3] / 2.0) * w,
                                             (b[..., 1:2] - b[..., 3:4] / 2.0) * h,
                                             (b[..., 0:1] + b[..., 2:3] / 2.0) * w,
                                             (b[..., 1:2] + b[..., 3:4] / 2.0) * h]),
}


def _xyxy_to_center(b):
    x1, y1, x2, y2 = _split(b)
    return x1 + (x2 - x1) / 2.0, y1 + (y2 - y1) / 2.0, x2 - x1, y2 - y1


def _xyxy_to_rel(b, h, w):
    x1, y1, x2, y2 = _split(b)
    return x1 / w, y1 / h, x2 / w, y2 / h


def _from_center_xywh(b, h, w):
    cx, cy, bw, bh = _xyxy_to_center(b)
    return _cat([cx, cy, bw, bh])


def _from_center_yxhw(b, h, w):
    cx, cy, bw, bh = _xyxy_to_center(b)
    return _cat([cy, cx, bh, bw])


def _from_rel_center_xywh(b, h, w):
    cx, cy, bw, bh = _xyxy_to_center(b)
    return _cat([cx / w, cy / h, bw / w, bh / h])


_FROM_XYXY = {
    "xyxy": lambda b, h, w: b,
    "yxyx": lambda b, h, w: _cat([b[..., 1:2], b[..., 0:1], b[..., 3:4], b[..., 2:3]]),
    "xywh": lambda b, h, w: _cat([b[..., 0:1], b[..., 1:2], b[..., 2:3] - b[..., 0:1],
                                  b[..., 3:4] - b[..., 1:2]]),
    "center_xywh": _from_center_xywh,
    "center_yxhw": _from_center_yxhw,
    "rel_xyxy": lambda b, h, w: _cat(list(_xyxy_to_rel(b, h, w))),
    "rel_yxyx": lambda b, h, w: _cat([_xyxy_to_rel(b, h, w)[i] for i in (1, 0, 3, 2)]),
    "rel_xywh": lambda b, h, w: _cat([b[..., 0:1] / w, b[..., 1:2] / h,
                                      (b[..., 2:3] - b[..., 0:1]) / w,
                                      (b[..., 3:4] - b[..., 1:2]) / h]),
    "rel_center_xywh": _from_rel_center_xywh,
}


def _check_format(name, value):
    if not isinstance(value, str) or value.lower() not in SUPPORTED_FORMATS:
        raise ValueError(
            f"Invalid bounding box format. Supported formats: {SUPPORTED_FORMATS}. "
            f"Received: {name}={value!r}")
    return value.lower()


def convert_format(boxes, source, target, height=None, width=None, dtype="float32"):
    """Converts bounding boxes between formats.

    Args:
        boxes: boxes of shape `(..., 4)` (array or tensor), or a dict with a "boxes" key (its
            other keys are kept).
        source, target: the formats (see the module docstring).
        height, width: the image size, needed when either format is relative.
        dtype: the dtype of the result. Defaults to "float32".

    Returns:
        The converted boxes (a torch tensor), or a dict with the converted "boxes".

    Example:

    >>> convert_format(np.array([[10, 20, 30, 40]]), source="xyxy", target="xywh")
    tensor([[10., 20., 20., 20.]])
    """
    if isinstance(boxes, dict):
        out = dict(boxes)
        out["boxes"] = convert_format(boxes["boxes"], source, target, height, width, dtype)
        return out
    boxes = _tensor(boxes)
    if boxes.ndim == 0 or boxes.shape[-1] != 4:
        raise ValueError("`boxes` must be a tensor with the last dimension of 4. "
                         f"Received: boxes.shape={tuple(boxes.shape)}")
    source, target = _check_format("source", source), _check_format("target", target)
    if (source.startswith("rel_") or target.startswith("rel_")) and (
            height is None or width is None):
        raise ValueError(
            "convert_format() must receive `height` and `width` when transforming between "
            f"relative and absolute formats. Received: source={source!r}, target={target!r}, "
            f"height={height}, width={width}")
    boxes = _tensor(boxes, dtype)
    if source == target:
        return boxes
    if source.startswith("rel_") and target.startswith("rel_"):
        source, target = source[4:], target[4:]
    height = None if height is None else _tensor(height, boxes.dtype).to(boxes.device)
    width = None if width is None else _tensor(width, boxes.dtype).to(boxes.device)
    return _FROM_XYXY[target](_TO_XYXY[source](boxes, height, width), height, width)


def _area(boxes):
    x1, y1, x2, y2 = _split(boxes)
    return (x2 - x1) * (y2 - y1)


def clip_to_image_size(bounding_boxes, height=None, width=None, bounding_box_format="xyxy"):
    """Clips `bounding_boxes["boxes"]` to the image; a box left with no area gets label -1.

    Args:
        bounding_boxes: `{"boxes": (..., N, 4), "labels": (..., N)}` ("labels" optional).
        height, width: the image size (needed for "xyxy").
        bounding_box_format: "xyxy" or "rel_xyxy". Defaults to "xyxy".
    """
    if bounding_box_format not in ("xyxy", "rel_xyxy"):
        raise NotImplementedError(
            "clip_to_image_size supports bounding_box_format 'xyxy' and 'rel_xyxy'. "
            f"Received: bounding_box_format={bounding_box_format!r}")
    if bounding_box_format == "xyxy" and (height is None or width is None):
        raise ValueError("`height` and `width` must be set if `format='xyxy'`. "
                         f"Received: height={height}, width={width}")
    boxes = _tensor(bounding_boxes["boxes"])
    labels = bounding_boxes.get("labels")
    high_x, high_y = (1.0, 1.0) if bounding_box_format == "rel_xyxy" else (width, height)
    x1, y1, x2, y2 = _split(boxes)
    clip = (lambda v, hi: torch.clamp(v, 0, hi)) if not isinstance(high_x, torch.Tensor) else \
        (lambda v, hi: torch.minimum(torch.clamp(v, min=0), hi.to(v.dtype)))
    boxes = _cat([clip(x1, high_x), clip(y1, high_y), clip(x2, high_x), clip(y2, high_y)])
    result = dict(bounding_boxes)
    result["boxes"] = boxes
    if labels is not None:
        labels = _tensor(labels).to(boxes.device)
        areas = _area(boxes).squeeze(-1)
        result["labels"] = torch.where(areas > 0, labels, torch.full_like(labels, -1))
    return result


def _inverse_affine_matrix(center_x, center_y, angle, translate_x, translate_y, scale, shear_x,
                           shear_y, height, width):
    """(B, 3, 3) matrices mapping input points to output points (Keras's / TF's geometry)."""
    angle, shear_x, shear_y = -angle, -shear_x, -shear_y
    cx, cy = center_x * (width - 1), center_y * (height - 1)
    rot = angle * (math.pi / 180.0)
    tx, ty = -translate_x * (width - 1), -translate_y * (height - 1)
    sx, sy = shear_x * (math.pi / 180.0), shear_y * (math.pi / 180.0)
    cos_sy, tan_sx = torch.cos(sy), torch.tan(sx)
    cx_tx, cy_ty = cx + tx, cy + ty
    a = torch.cos(rot - sy) / cos_sy
    b = a * tan_sx + torch.sin(rot)
    c = -torch.sin(rot - sy) / cos_sy
    d = torch.cos(rot) - c * tan_sx
    a0, a1, b0, b1 = d * scale, -b * scale, -c * scale, a * scale
    a2 = cx - a0 * cx_tx - a1 * cy_ty
    b2 = cy - b0 * cx_tx - b1 * cy_ty
    zeros, ones = torch.zeros_like(a0), torch.ones_like(a0)
    return torch.stack([a0, a1, a2, b0, b1, b2, zeros, zeros, ones], -1).reshape(-1, 3, 3)


def affine_transform(boxes, angle, translate_x, translate_y, scale, shear_x, shear_y, height,
                     width, center_x=None, center_y=None, bounding_box_format="xyxy"):
    """Moves batched "xyxy" boxes `(B, N, 4)` by per-image affine transforms (rotation `angle` and
    shears in degrees, translations as fractions of the image, `scale`); each result is the
    axis-aligned box around the four moved corners."""
    if bounding_box_format != "xyxy":
        raise NotImplementedError("affine_transform supports bounding_box_format='xyxy' only. "
                                  f"Received: bounding_box_format={bounding_box_format!r}")
    angle = _tensor(angle)
    as_t = lambda v: _tensor(v, angle.dtype).to(angle.device)  # noqa: E731
    matrix = _inverse_affine_matrix(
        0.5 if center_x is None else center_x, 0.5 if center_y is None else center_y, angle,
        as_t(translate_x), as_t(translate_y), as_t(scale), as_t(shear_x), as_t(shear_y),
        height, width)
    boxes = _tensor(boxes).to(matrix.dtype)
    batch, n = boxes.shape[0], boxes.shape[1]
    corners = boxes[..., [0, 1, 2, 1, 2, 3, 0, 3]].reshape(batch, n, 4, 2)
    corners = torch.cat([corners, torch.ones_like(corners[..., :1])], -1)
    moved = torch.einsum("bnxy,byz->bnxz", corners, matrix[:, :2, :].transpose(1, 2))
    return torch.cat([moved.amin(dim=2), moved.amax(dim=2)], -1)


def crop(boxes, top, left, height, width, bounding_box_format="xyxy"):
    """Boxes in the frame of the crop `(top, left, height, width)`, clipped to it ("xyxy")."""
    if bounding_box_format != "xyxy":
        raise NotImplementedError("crop supports bounding_box_format='xyxy' only. "
                                  f"Received: bounding_box_format={bounding_box_format!r}")
    x1, y1, x2, y2 = _split(_tensor(boxes))
    clip = lambda v, hi: torch.clamp(v, 0, hi)  # noqa: E731
    return _cat([clip(x1 - left, width), clip(y1 - top, height), clip(x2 - left, width),
                 clip(y2 - top, height)])


def pad(boxes, top, left, height=None, width=None, bounding_box_format="xyxy"):
    """Boxes shifted by the `top` / `left` padding of their image ("xyxy")."""
    if bounding_box_format != "xyxy":
        raise NotImplementedError("pad supports bounding_box_format='xyxy' only. "
                                  f"Received: bounding_box_format={bounding_box_format!r}")
    x1, y1, x2, y2 = _split(_tensor(boxes))
    return _cat([x1 + left, y1 + top, x2 + left, y2 + top])


def _check_encoding(name, value):
    if value not in ("center_xywh", "center_yxhw"):
        raise ValueError(f"`{name}` should be 'center_xywh' or 'center_yxhw'. "
                         f"Received: {name}={value!r}")


def _variance(variance):
    if variance is None:
        return None
    variance = _tensor(variance, "float32")
    if variance.shape[-1] != 4:
        raise ValueError(f"`variance` must be length 4. Received: variance={variance.tolist()}")
    return variance


def _hw(image_shape):
    return (None, None) if image_shape is None else tuple(image_shape)[:2]


def encode_box_to_deltas(anchors, boxes, anchor_format, box_format, encoding_format="center_yxhw",
                         variance=None, image_shape=None):
    """Deltas of `boxes` relative to `anchors`: centre offsets over anchor sizes, then log size
    ratios (in `encoding_format`), divided by `variance` when given."""
    variance = _variance(variance)
    _check_encoding("encoding_format", encoding_format)
    height, width = _hw(image_shape)
    anchors = convert_format(anchors, anchor_format, encoding_format, height, width)
    boxes = convert_format(boxes, box_format, encoding_format, height, width)
    eps = config.epsilon()
    anchor_size = torch.clamp(anchors[..., 2:], min=eps)
    box_size = torch.clamp(boxes[..., 2:], min=eps)
    deltas = torch.cat([(boxes[..., :2] - anchors[..., :2]) / anchor_size,
                        torch.log(box_size / anchor_size)], -1)
    return deltas if variance is None else deltas / variance.to(deltas.device)


def decode_deltas_to_boxes(anchors, boxes_delta, anchor_format, box_format,
                           encoded_format="center_yxhw", variance=None, image_shape=None):
    """Inverse of `encode_box_to_deltas`: boxes in `box_format` (dicts of levels map per key)."""
    variance = _variance(variance)
    _check_encoding("encoded_format", encoded_format)
    height, width = _hw(image_shape)

    def decode(anchor, delta):
        anchor = convert_format(anchor, anchor_format, encoded_format, height, width)
        delta = _tensor(delta)
        if variance is not None:
            delta = delta * variance.to(delta.device)
        box = torch.cat([delta[..., :2] * anchor[..., 2:] + anchor[..., :2],
                         torch.exp(delta[..., 2:]) * anchor[..., 2:]], -1)
        return convert_format(box, encoded_format, box_format, height, width)

    if isinstance(anchors, dict) and isinstance(boxes_delta, dict):
        return {level: decode(anchor, boxes_delta[level]) for level, anchor in anchors.items()}
    return decode(anchors, boxes_delta)
