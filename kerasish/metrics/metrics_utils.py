"""Confusion-matrix accumulation shared by the classification metrics (Keras's algorithm).

Everything runs on the device with fixed-size outputs: the evenly-spaced-thresholds path buckets
predictions with `index_add_` (not `torch.bincount`, whose CUDA kernel reads the maximum back to
the host to size its output), and the general path compares against every threshold at once.
"""

import numpy as np
import torch

from kerasish.backend import config
from kerasish.losses.loss import squeeze_or_expand_to_same_rank

NEG_INF = -1e10
TP, FP, TN, FN = "tp", "fp", "tn", "fn"


def parse_init_thresholds(thresholds, default_threshold=0.5):
    """A list of thresholds in [0, 1] (the default when `thresholds` is None)."""
    if thresholds is not None:
        values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) else [thresholds]
        bad = [t for t in values if t is None or t < 0 or t > 1]
        if bad:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: thresholds={thresholds}")
        return [float(t) for t in values]
    return [default_threshold]


def is_evenly_distributed_thresholds(thresholds):
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(thresholds, even, atol=config.epsilon()))


def filter_top_k(x, k):
    """Keeps the top `k` entries of the last axis, pushing the others to `NEG_INF`."""
    idx = torch.topk(x, k, dim=-1).indices
    keep = torch.zeros_like(x).scatter_(-1, idx, 1.0)
    return x * keep + NEG_INF * (1.0 - keep)


def _bucketed(variables, y_true, y_pred, thresholds, multi_label, sample_weight, label_weights,
              with_epsilon):
    """Evenly spaced thresholds: each prediction falls in one bucket; cumulative sums give counts."""
    n = thresholds.shape[0]
    weights = torch.ones((), dtype=y_pred.dtype, device=y_pred.device)
    if sample_weight is not None:
        weights = weights * torch.broadcast_to(sample_weight.to(y_pred.dtype), y_pred.shape)
    if label_weights is not None:
        weights = weights * torch.broadcast_to(label_weights.unsqueeze(0), y_pred.shape)
    weights = torch.broadcast_to(weights, y_pred.shape)
    y_pred = torch.clamp(y_pred, 0.0, 1.0)
    y_true = (y_true != 0).to(y_pred.dtype)
    true_labels, false_labels = y_true * weights, (1.0 - y_true) * weights
    buckets = torch.ceil(y_pred * (n - 1)) - 1
    if with_epsilon:
        buckets = torch.relu(buckets)
    # Bucket -1 (a prediction of exactly 0 without the epsilon thresholds) counts nowhere.
    buckets = buckets.long()
    if multi_label:
        labels = y_pred.shape[-1]
        flat_b = (buckets.reshape(-1, labels) + 1) * labels + torch.arange(labels, device=y_pred.device)
        shape, size = (n + 1, labels), (n + 1) * labels
    else:
        flat_b, shape, size = buckets.reshape(-1) + 1, (n + 1,), n + 1

    def bucket_sum(values):
        out = torch.zeros(size, dtype=values.dtype, device=values.device)
        out.index_add_(0, flat_b.reshape(-1), values.reshape(-1))
        out = out.reshape(shape)[1:]
        return torch.flip(torch.cumsum(torch.flip(out, [0]), 0), [0])

    tp, fp = bucket_sum(true_labels), bucket_sum(false_labels)
    dims = tuple(range(true_labels.ndim - 1)) if multi_label else None
    total_true = true_labels.sum(dim=dims) if dims else true_labels.sum()
    total_false = false_labels.sum(dim=dims) if dims else false_labels.sum()
    counts = {TP: tp, FP: fp, TN: total_false - fp, FN: total_true - tp}
    with torch.no_grad():
        for key, var in variables.items():
            var.add_(counts[key].to(var.dtype))


def _compared(variables, y_true, y_pred, thresholds, multi_label, sample_weight, label_weights):
    """Any thresholds: compare every prediction with every threshold."""
    if multi_label:
        pred = y_pred.reshape(1, y_pred.shape[0], -1)
        label = (y_true != 0).reshape(1, y_pred.shape[0], -1)
        thresh = thresholds.reshape(-1, 1, 1)
        reduce_dims = (1,)
    else:
        pred, label = y_pred.reshape(1, -1), (y_true != 0).reshape(1, -1)
        thresh = thresholds.reshape(-1, 1)
        reduce_dims = (1,)
    weights = None
    if sample_weight is not None:
        weights = torch.broadcast_to(sample_weight.to(y_pred.dtype), y_pred.shape).reshape(pred.shape)
    if label_weights is not None and not multi_label:
        lw = torch.broadcast_to(label_weights.unsqueeze(0), y_pred.shape).reshape(pred.shape)
        weights = lw if weights is None else weights * lw
    pred_pos = pred > thresh
    conditions = {TP: (label, pred_pos), FP: (~label, pred_pos), TN: (~label, ~pred_pos),
                  FN: (label, ~pred_pos)}
    with torch.no_grad():
        for key, var in variables.items():
            lab, prd = conditions[key]
            hit = (lab & prd).to(var.dtype)
            if weights is not None:
                hit = hit * weights.to(var.dtype)
            var.add_(hit.sum(dim=reduce_dims))


def update_confusion_matrix_variables(variables, y_true, y_pred, thresholds, top_k=None, class_id=None,
                                      sample_weight=None, multi_label=False, label_weights=None,
                                      thresholds_distributed_evenly=False):
    """Adds this batch's TP/FP/TN/FN counts (per threshold) to `variables` (a dict keyed by
    `"tp"`, `"fp"`, `"tn"`, `"fn"`), with Keras's semantics for `top_k`, `class_id`, weights."""
    if multi_label and label_weights is not None:
        raise ValueError("`label_weights` for multilabel data should be handled outside of "
                         "`update_confusion_matrix_variables` when `multi_label` is True.")
    var = next(iter(variables.values()))
    dtype, device = var.dtype, var.device
    y_pred = torch.as_tensor(y_pred, device=device).to(dtype).detach()
    y_true = torch.as_tensor(y_true, device=device).to(dtype)
    with_epsilon = thresholds_distributed_evenly and (thresholds[0] < 0.0 or thresholds[-1] > 1.0)
    thresholds = torch.as_tensor(np.asarray(thresholds, dtype="float32"), device=device).to(dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = torch.as_tensor(sample_weight, device=device).to(dtype).unsqueeze(-1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight, expand_rank_1=False)
    if label_weights is not None:
        label_weights = torch.as_tensor(label_weights, device=device).to(dtype)
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim == 1:
            raise ValueError("When class_id is provided, y_pred must be a 2D array with shape "
                             f"(num_samples, num_classes). Received: y_pred.shape={tuple(y_pred.shape)}")
        y_true, y_pred = y_true[..., class_id, None], y_pred[..., class_id, None]
    if thresholds_distributed_evenly:
        return _bucketed(variables, y_true, y_pred, thresholds, multi_label, sample_weight,
                         label_weights, with_epsilon)
    return _compared(variables, y_true, y_pred, thresholds, multi_label, sample_weight, label_weights)


def confusion_matrix(labels, predictions, num_classes, weights=None, dtype=torch.int64):
    """A `(num_classes, num_classes)` matrix (rows: labels) built with `index_add_` on the device."""
    labels, predictions = squeeze_or_expand_to_same_rank(labels, predictions)
    flat = labels.long().reshape(-1) * num_classes + predictions.long().reshape(-1)
    values = torch.ones_like(flat, dtype=dtype) if weights is None else weights.reshape(-1).to(dtype)
    out = torch.zeros(num_classes * num_classes, dtype=dtype, device=flat.device)
    out.index_add_(0, flat, values)
    return out.reshape(num_classes, num_classes)
