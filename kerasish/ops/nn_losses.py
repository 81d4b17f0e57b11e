"""Crossentropies, one-hot encodings and PSNR of `kerasish.ops.nn` (re-exported there)."""

import torch
import torch.nn.functional as F

from kerasish.backend import config, dtypes
from kerasish.ops.convert import to_tensor
from kerasish.ops.dispatch import keras_op


def _no_sparse(sparse, op):
    if sparse:
        raise ValueError(f"`ops.{op}`: unsupported value `sparse=True` with the torch backend. "
                         f"Received: sparse={sparse}")


@keras_op
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encodes integer class ids; negative ids give all-zero rows.

    Args:
        x: Integer tensor of class ids.
        num_classes: The number of classes (size of the new axis).
        axis: Where the new axis goes. Defaults to `-1`.
        dtype: Output dtype. Defaults to `keras.config.floatx()`.
        sparse: Unsupported on torch (raises).

    Example:
    >>> ops.one_hot([0, 2], 3)
    tensor([[1., 0., 0.],
            [0., 0., 1.]])
    """
    _no_sparse(sparse, "one_hot")
    dtype = dtypes.to_torch_dtype(dtypes.standardize_dtype(dtype) if dtype else config.floatx())
    x = to_tensor(x, "int64")
    out = F.one_hot(torch.clamp(x, min=0), num_classes)
    out = (out * (x >= 0).unsqueeze(-1)).to(dtype)
    dims = out.dim()
    if axis != -1 and axis != dims:
        # Keras's torch backend's axis shuffle, kept as it is (negative axes included).
        order = list(range(dims))
        order[axis] = -1
        for ax in range(axis + 1, dims):
            order[ax] -= 1
        out = out.permute(order)
    return out


@keras_op
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot encodes integer ids: 1 for each class present in a sample (row).

    Args:
        inputs: Integer tensor `(batch, ids)` (or `(ids,)`).
        num_classes: The number of classes (`num_tokens` is accepted as an old name).
        axis: Where the class axis goes. Defaults to `-1`.
        dtype: Output dtype. Defaults to `keras.config.floatx()`.
        sparse: Unsupported on torch (raises).

    Example:
    >>> ops.multi_hot([[0, 2], [1, 1]], 3)
    tensor([[1., 0., 1.],
            [0., 1., 0.]])
    """
    if num_classes is None and "num_tokens" in kwargs:
        num_classes = kwargs.pop("num_tokens")
    if kwargs:
        raise TypeError(f"`ops.multi_hot` got unexpected arguments. Received: {sorted(kwargs)}")
    if num_classes is None:
        raise ValueError("Argument `num_classes` must be specified. Received: num_classes=None")
    _no_sparse(sparse, "multi_hot")
    x = to_tensor(inputs)
    reduction_axis = 1 if x.ndim > 1 else 0
    return torch.amax(one_hot(x.to(torch.int32), num_classes, axis=axis, dtype=dtype),
                      dim=reduction_axis)


def _clip_probs(output):
    eps = config.epsilon()
    return torch.clip(output, eps, 1.0 - eps)


@keras_op
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between one-hot (or soft) targets and predicted probabilities.

    Args:
        target: Tensor of target distributions, same shape as `output`.
        output: Probabilities (rescaled to sum to 1) or, with `from_logits=True`, logits.
        from_logits: Whether `output` holds logits. Defaults to `False`.
        axis: The class axis. Defaults to `-1`.

    Returns:
        The loss per sample (the class axis reduced).

    Example:
    >>> ops.categorical_crossentropy([[0.0, 1.0]], [[0.5, 0.5]])
    tensor([0.6931])
    """
    target, output = to_tensor(target), to_tensor(output)
    if target.shape != output.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}"
        )
    if target.ndim < 1:
        raise ValueError(
            "Arguments `target` and `output` must be at least rank 1. "
            f"Received: target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}"
        )
    if from_logits:
        log_prob = F.log_softmax(output, dim=axis)
    else:
        log_prob = torch.log(_clip_probs(output / torch.sum(output, dim=axis, keepdim=True)))
    return -torch.sum(target * log_prob, dim=axis)


@keras_op
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between integer class ids and predicted probabilities (or logits).

    Args:
        target: Integer class ids, `output`'s shape without the class axis (a trailing size-1
            class axis is accepted).
        output: Probabilities or, with `from_logits=True`, logits.
        from_logits: Whether `output` holds logits. Defaults to `False`.
        axis: The class axis of `output`. Defaults to `-1`.

    Example:
    >>> ops.sparse_categorical_crossentropy([1], [[0.5, 0.5]])
    tensor([0.6931])
    """
    target, output = to_tensor(target, "int64"), to_tensor(output)
    if output.ndim < 1:
        raise ValueError(f"Argument `output` must be at least rank 1. "
                         f"Received: output.shape={tuple(output.shape)}")
    if target.ndim == output.ndim and target.shape[axis] == 1:
        target = torch.squeeze(target, dim=axis)
    expected = list(output.shape)
    del expected[axis]
    if list(target.shape) != expected:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape up until the last "
            f"dimension: Received: target.shape={tuple(target.shape)}, "
            f"output.shape={tuple(output.shape)}"
        )
    squeeze = output.dim() == 1
    if squeeze:
        output, target = output.unsqueeze(0), target.unsqueeze(0)
    elif axis % output.dim() != 1:
        output = output.movedim(axis % output.dim(), 1)
    if from_logits:
        result = F.cross_entropy(output, target, reduction="none")
    else:
        log_prob = torch.log(_clip_probs(output / torch.sum(output, dim=1, keepdim=True)))
        result = F.nll_loss(log_prob, target, reduction="none")
    return result.squeeze(0) if squeeze else result


@keras_op
def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary crossentropy.

    Args:
        target: Float tensor of 0/1 (or soft) targets, same shape as `output`.
        output: Probabilities (clipped to `[epsilon, 1 - epsilon]`) or, with `from_logits=True`,
            logits.
        from_logits: Whether `output` holds logits. Defaults to `False`.

    Example:
    >>> ops.binary_crossentropy([1.0, 0.0], [0.5, 0.5])
    tensor([0.6931, 0.6931])
    """
    target, output = to_tensor(target), to_tensor(output)
    if target.shape != output.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}"
        )
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    return F.binary_cross_entropy(_clip_probs(output), target, reduction="none")


@keras_op
def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio: `20 * log10(max_val) - 10 * log10(mse(x1, x2))`.

    Args:
        x1, x2: Tensors of the same shape.
        max_val: The largest possible signal value (e.g. 1.0 or 255).

    Returns:
        A scalar tensor.

    Example:
    >>> ops.psnr(np.zeros((4,), "float32"), np.full((4,), 0.1, "float32"), 1.0)
    tensor(20.)
    """
    x1, x2 = to_tensor(x1), to_tensor(x2)
    if x1.shape != x2.shape:
        raise ValueError(
            "`ops.psnr`: the input shapes must match. "
            f"Received: x1.shape={tuple(x1.shape)}, x2.shape={tuple(x2.shape)}"
        )
    max_val = to_tensor(max_val, dtypes.dtype_name(x1.dtype))
    mse = torch.mean((x1 - x2) ** 2)
    return 20 * torch.log10(max_val) - 10 * torch.log10(mse)
