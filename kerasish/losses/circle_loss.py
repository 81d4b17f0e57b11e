"""Circle loss (Sun et al., 2020): a metric-learning loss over L2-normalised embeddings and
integer labels, as Keras 3 computes it."""

import torch
import torch.nn.functional as F

from kerasish.losses.loss import LossFunctionWrapper

__all__ = ["circle", "Circle"]


def _pos_neg_masks(query_labels, key_labels, remove_diagonal=True):
    query_labels = query_labels.reshape(-1, 1) if query_labels.ndim == 1 else query_labels
    key_labels = key_labels.reshape(-1, 1) if key_labels.ndim == 1 else key_labels
    positive = query_labels == key_labels.T
    negative = ~positive
    if remove_diagonal:
        eye = torch.eye(query_labels.numel(), key_labels.numel(), dtype=torch.bool,
                        device=positive.device)
        positive = positive & ~eye
    return positive, negative


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True, gamma=80,
           margin=0.4):
    """Per-sample Circle loss of integer labels `y_true` and L2-normalised embeddings `y_pred`.

    Args:
        y_true: integer labels, shape `(batch,)`.
        y_pred: L2-normalised embeddings, shape `(batch, dim)`.
        ref_labels: labels of the reference embeddings. Defaults to `y_true`.
        ref_embeddings: L2-normalised reference embeddings. Defaults to `y_pred`.
        remove_diagonal: whether self-similarities leave the positive mask. Defaults to `True`.
        gamma: scale of the similarity scores. Defaults to `80`.
        margin: relaxation factor. Defaults to `0.4`.

    Returns:
        The loss per sample; its `_keras_mask` marks the positive entries (Keras's rule, so that
        mean reductions average over samples with a non-zero loss only).

    Example:

    ```python
    emb = torch.nn.functional.normalize(torch.randn(4, 8), dim=-1)
    circle(torch.tensor([0, 0, 1, 1]), emb)
    ```
    """
    y_pred = torch.as_tensor(y_pred)
    if y_pred.ndim != 2:
        raise ValueError(f"`y_pred` must be a 2D tensor of embeddings (batch, dim). "
                         f"Received: y_pred.shape={tuple(y_pred.shape)}")
    y_true = torch.as_tensor(y_true, device=y_pred.device).to(torch.int32)
    ref_embeddings = y_pred if ref_embeddings is None else torch.as_tensor(ref_embeddings, device=y_pred.device)
    ref_labels = y_true if ref_labels is None else torch.as_tensor(ref_labels, device=y_pred.device).to(torch.int32)
    distances = torch.clamp(1 - y_pred @ ref_embeddings.T, min=0.0)
    positive, negative = _pos_neg_masks(y_true, ref_labels, remove_diagonal)
    pos_weights = torch.clamp((margin + distances) * positive.to(distances.dtype), min=0.0)
    neg_weights = torch.clamp((1 + margin - distances) * negative.to(distances.dtype), min=0.0)
    pos_wdists = -gamma * pos_weights * (margin - distances)
    neg_wdists = gamma * neg_weights * ((1 - margin) - distances)
    ninf = torch.tensor(float("-inf"), dtype=distances.dtype, device=distances.device)
    p_loss = torch.logsumexp(torch.where(positive, pos_wdists, ninf), dim=1)
    n_loss = torch.logsumexp(torch.where(negative, neg_wdists, ninf), dim=1)
    loss = F.softplus(p_loss + n_loss)
    loss._keras_mask = loss > 0
    return loss


class Circle(LossFunctionWrapper):
    """Circle loss between integer labels and L2-normalised embeddings.

    End the model with a linear `Dense` and a `UnitNormalization` layer.

    Args:
        gamma: scale of the similarity scores. Defaults to `80`.
        margin: relaxation factor. Defaults to `0.4`.
        remove_diagonal: whether self-similarities leave the positive mask. Defaults to `True`.
        reduction, name, dtype: see `Loss`.

    Example:

    ```python
    model.compile(optimizer="adam", loss=kerasish.losses.Circle())
    ```
    """

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True, reduction="sum_over_batch_size",
                 name="circle", dtype=None):
        super().__init__(circle, reduction=reduction, name=name, dtype=dtype, gamma=gamma,
                         margin=margin, remove_diagonal=remove_diagonal)
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal
