"""Checks bounding-box dicts and makes them dense `{"boxes": float32, "labels": ...}` tensors."""

import numpy as np
import torch


def validate_bounding_boxes(bounding_boxes):
    """Raises a clear ValueError unless `bounding_boxes` is `{"boxes": (..., N, 4), "labels"}`."""
    if not isinstance(bounding_boxes, dict) or "boxes" not in bounding_boxes \
            or "labels" not in bounding_boxes:
        raise ValueError(
            "Expected `bounding_boxes` argument to be a dict with keys 'boxes' and 'labels'. "
            f"Received: bounding_boxes={bounding_boxes}")
    boxes, labels = bounding_boxes["boxes"], bounding_boxes["labels"]
    if isinstance(boxes, list) != isinstance(labels, list):
        raise ValueError(
            "`bounding_boxes['boxes']` and `bounding_boxes['labels']` must both be lists or both "
            f"be arrays. Received: bounding_boxes['labels']={labels}")
    if isinstance(boxes, list):
        if len(boxes) != len(labels):
            raise ValueError(
                "`bounding_boxes['boxes']` and `bounding_boxes['labels']` must have the same "
                f"length. Received: len(bounding_boxes['boxes'])={len(boxes)} and "
                f"len(bounding_boxes['labels'])={len(labels)}")
        return
    boxes_rank, labels_rank = len(np.shape(boxes)), len(np.shape(labels))
    if boxes_rank not in (2, 3):
        raise ValueError(
            "Expected `bounding_boxes['boxes']` to have rank 2 or 3, with shape (num_boxes, 4) "
            f"or (batch_size, num_boxes, 4). Received: bounding_boxes['boxes'].shape="
            f"{tuple(np.shape(boxes))}")
    if labels_rank not in (boxes_rank - 1, boxes_rank):
        raise ValueError(
            f"Found bounding_boxes['boxes'].shape={tuple(np.shape(boxes))} and expected "
            f"bounding_boxes['labels'] to have rank {boxes_rank - 1} or {boxes_rank}. Received: "
            f"bounding_boxes['labels'].shape={tuple(np.shape(labels))}")


def _pad_ragged(boxes, labels, max_boxes, box_value, label_value):
    """Lists of per-image boxes (of differing counts) -> padded (B, max_boxes, 4) / (B, max)."""
    if max_boxes is None:
        max_boxes = max((len(b) for b in boxes), default=0)
    new_boxes, new_labels = [], []
    for b, lab in zip(boxes, labels):
        b, lab = [list(map(float, box)) for box in b][:max_boxes], list(lab)[:max_boxes]
        missing = max_boxes - len(b)
        new_boxes.append(b + [[box_value] * 4] * missing)
        new_labels.append(lab + [label_value] * missing)
    return new_boxes, new_labels


def _as_tensor(value, dtype=None):
    if isinstance(value, torch.Tensor):
        return value if dtype is None else value.to(dtype)
    array = np.asarray(value)
    if dtype is None and array.dtype == np.float64:
        dtype = torch.float32
    tensor = torch.as_tensor(array)
    return tensor if dtype is None else tensor.to(dtype)


def densify_bounding_boxes(bounding_boxes, is_batched=False, max_boxes=None,
                           boxes_default_value=0, labels_default_value=-1):
    """`{"boxes", "labels"}` as dense torch tensors (boxes float32); nested Python lists with a
    different number of boxes per image are padded with `boxes_default_value` /
    `labels_default_value` (to `max_boxes`, or to the largest count)."""
    validate_bounding_boxes(bounding_boxes)
    boxes, labels = bounding_boxes["boxes"], bounding_boxes["labels"]
    out = dict(bounding_boxes)
    if isinstance(boxes, list) and boxes and is_batched and isinstance(boxes[0], list) \
            and (not boxes[0] or isinstance(boxes[0][0], (list, tuple))):
        boxes, labels = _pad_ragged(boxes, labels, max_boxes, boxes_default_value,
                                    labels_default_value)
        out["boxes"] = torch.tensor(boxes, dtype=torch.float32).reshape(len(boxes), -1, 4)
        out["labels"] = torch.tensor(labels, dtype=torch.int32).reshape(len(labels), -1)
        return out
    out["boxes"] = _as_tensor(boxes, torch.float32)
    out["labels"] = _as_tensor(labels)
    return out
