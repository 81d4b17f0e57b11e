"""Every Keras loss equals Keras 3's: random inputs, sample weights, each reduction, edge cases.

Data-driven: `CASES` lists (class name, constructor kwargs, input kind); each test loops over it.
"""

import numpy as np
import pytest
import torch

import kerasish
from tests.conftest import assert_close

B, C = 6, 5


def _onehot(rng, n, c):
    return np.eye(c, dtype="float32")[rng.integers(0, c, n)]


def _probs(rng, shape):
    x = rng.normal(size=shape).astype("float32") * 2
    e = np.exp(x - x.max(-1, keepdims=True))
    return (e / e.sum(-1, keepdims=True)).astype("float32")


def _unit(x):
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype("float32")


def _inputs(kind, rng):
    """(y_true, y_pred) numpy arrays for an input kind."""
    normal = lambda *s: rng.normal(size=s).astype("float32")  # noqa: E731
    uniform = lambda *s: rng.uniform(0.01, 0.99, size=s).astype("float32")  # noqa: E731
    binary = lambda *s: rng.integers(0, 2, size=s).astype("float32")  # noqa: E731
    table = {
        "reg": lambda: (normal(B, 4), normal(B, 4)),
        "reg_rank1": lambda: (normal(B), normal(B, 1)),
        "pos": lambda: (np.abs(normal(B, 4)) * 3, np.abs(normal(B, 4)) * 3),
        "bin": lambda: (binary(B, 3), uniform(B, 3)),
        "bin_col": lambda: (binary(B), uniform(B, 1)),
        "bin_logits": lambda: (binary(B, 3), normal(B, 3) * 3),
        "bin_edge": lambda: (np.array([[1, 0, 1], [0, 1, 0]], "float32"),
                             np.array([[1, 0, 0], [0, 1, 1]], "float32")),
        "zeros_target": lambda: (np.zeros((B, 3), "float32"), uniform(B, 3)),
        "cat": lambda: (_onehot(rng, B, C), _probs(rng, (B, C))),
        "cat_logits": lambda: (_onehot(rng, B, C), normal(B, C) * 3),
        "cat_edge": lambda: (np.eye(3, dtype="float32")[[0, 1, 2]], np.eye(3, dtype="float32")[[0, 2, 2]]),
        "cat_single": lambda: (np.eye(C, dtype="float32")[[2] * B], _probs(rng, (B, C))),
        "cat_seq": lambda: (np.stack([_onehot(rng, 3, C) for _ in range(B)]), _probs(rng, (B, 3, C))),
        "sparse": lambda: (rng.integers(0, C, B).astype("int64"), _probs(rng, (B, C))),
        "sparse_col": lambda: (rng.integers(0, C, (B, 1)).astype("int64"), _probs(rng, (B, C))),
        "sparse_logits": lambda: (rng.integers(0, C, B).astype("int64"), normal(B, C) * 3),
        "sparse_seq": lambda: (rng.integers(0, C, (B, 3)).astype("int64"), _probs(rng, (B, 3, C))),
        "sparse_edge": lambda: (np.array([0, 1, 2]), np.eye(3, dtype="float32")[[0, 2, 2]]),
        "hinge01": lambda: (binary(B, 3), normal(B, 3)),
        "hinge_pm": lambda: (binary(B, 3) * 2 - 1, normal(B, 3)),
        "seg": lambda: (binary(B, 4, 4, 1), uniform(B, 4, 4, 1)),
        "emb": lambda: (rng.integers(0, 3, B), _unit(normal(B, 4))),
        "emb_edge": lambda: (np.array([0, 0, 1, 2, 3, 3]), _unit(normal(B, 4))),
        "gce": lambda: (rng.integers(0, C, B), _probs(rng, (B, C))),
        "ctc": lambda: (np.array([[1, 2, 3, 0], [2, 2, 0, 0], [3, 1, 2, 1], [1, 0, 0, 0],
                                  [4, 3, 0, 0], [2, 4, 1, 0]], "int64"), normal(B, 10, C)),
    }
    return table[kind]()


# (class name, kwargs, input kinds)
CASES = [
    ("MeanSquaredError", {}, ["reg", "reg_rank1"]),
    ("MeanAbsoluteError", {}, ["reg", "reg_rank1"]),
    ("MeanAbsolutePercentageError", {}, ["reg", "zeros_target"]),
    ("MeanSquaredLogarithmicError", {}, ["pos", "reg"]),
    ("CosineSimilarity", {}, ["reg", "zeros_target"]),
    ("CosineSimilarity", {"axis": 0}, ["reg"]),
    ("Huber", {}, ["reg"]),
    ("Huber", {"delta": 0.3}, ["reg"]),
    ("LogCosh", {}, ["reg", "reg_rank1"]),
    ("Hinge", {}, ["hinge01", "hinge_pm"]),
    ("SquaredHinge", {}, ["hinge01", "hinge_pm"]),
    ("CategoricalHinge", {}, ["cat", "cat_single"]),
    ("KLDivergence", {}, ["cat", "cat_edge", "zeros_target"]),
    ("Poisson", {}, ["pos", "zeros_target"]),
    ("BinaryCrossentropy", {}, ["bin", "bin_col", "bin_edge", "zeros_target"]),
    ("BinaryCrossentropy", {"from_logits": True}, ["bin_logits"]),
    ("BinaryCrossentropy", {"label_smoothing": 0.2}, ["bin", "bin_edge"]),
    ("BinaryFocalCrossentropy", {}, ["bin", "bin_edge", "zeros_target"]),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.5}, ["bin"]),
    ("BinaryFocalCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, ["bin_logits"]),
    ("CategoricalCrossentropy", {}, ["cat", "cat_edge", "cat_single", "cat_seq"]),
    ("CategoricalCrossentropy", {"from_logits": True}, ["cat_logits"]),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, ["cat", "cat_edge"]),
    ("CategoricalCrossentropy", {"axis": 0}, ["cat"]),
    ("CategoricalFocalCrossentropy", {}, ["cat", "cat_edge"]),
    ("CategoricalFocalCrossentropy", {"from_logits": True, "alpha": 0.5, "gamma": 1.0,
                                      "label_smoothing": 0.1}, ["cat_logits"]),
    ("SparseCategoricalCrossentropy", {}, ["sparse", "sparse_col", "sparse_edge", "sparse_seq"]),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, ["sparse_logits"]),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1}, ["sparse", "sparse_seq"]),
    ("Dice", {}, ["seg", "bin_edge"]),
    ("Dice", {"axis": (1, 2, 3)}, ["seg"]),
    ("Tversky", {}, ["seg"]),
    ("Tversky", {"alpha": 0.3, "beta": 0.7, "axis": (1, 2)}, ["seg"]),
    ("CTC", {}, ["ctc"]),
    ("Circle", {}, ["emb", "emb_edge"]),
    ("Circle", {"gamma": 10.0, "margin": 0.25, "remove_diagonal": False}, ["emb"]),
    ("CategoricalGeneralizedCrossEntropy", {}, ["gce"]),
    ("CategoricalGeneralizedCrossEntropy", {"q": 0.9}, ["gce"]),
]
REDUCTIONS = ["sum_over_batch_size", "sum", "none", "mean_with_sample_weight"]
PARAMS = [(name, kw, kind) for name, kw, kinds in CASES for kind in kinds]


def _np(x):
    return np.asarray(x.detach().cpu()) if isinstance(x, torch.Tensor) else np.asarray(x)


def _weights(kind, rng, n):
    # Sequence losses are per (sample, step), so their weights are too.
    shape = (n, 3) if kind.endswith("_seq") else (n,)
    return rng.uniform(0.0, 2.0, size=shape).astype("float32")


@pytest.mark.parametrize("name,kwargs,kind", PARAMS, ids=[f"{n}-{k}-{i}" for i, (n, _, k) in enumerate(PARAMS)])
def test_loss_matches_keras(keras, rng, name, kwargs, kind):
    y_true, y_pred = _inputs(kind, rng)
    sw = _weights(kind, rng, len(y_true))
    for reduction in REDUCTIONS:
        ours = getattr(kerasish.losses, name)(reduction=reduction, **kwargs)
        theirs = getattr(keras.losses, name)(reduction=reduction, **kwargs)
        assert_close(_np(ours(y_true, y_pred)), _np(theirs(y_true, y_pred)), rtol=1e-5, atol=1e-6)
        if kwargs.get("axis") == 0:
            continue  # per-sample weights do not apply to a loss reduced over the batch axis
        assert_close(_np(ours(y_true, y_pred, sample_weight=sw)),
                     _np(theirs(y_true, y_pred, sample_weight=sw)), rtol=1e-5, atol=1e-6)


FUNCTIONS = ["mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
             "mean_squared_logarithmic_error", "cosine_similarity", "huber", "log_cosh", "hinge",
             "squared_hinge", "categorical_hinge", "kl_divergence", "poisson", "binary_crossentropy",
             "binary_focal_crossentropy", "categorical_crossentropy", "categorical_focal_crossentropy",
             "dice", "tversky"]


@pytest.mark.parametrize("fn", FUNCTIONS)
def test_loss_function_matches_keras(keras, rng, fn):
    y_true, y_pred = _inputs("cat", rng)
    ours = kerasish.losses.get(fn)(torch.as_tensor(y_true), torch.as_tensor(y_pred))
    theirs = keras.losses.get(fn)(y_true, y_pred)
    assert_close(_np(ours), _np(theirs))


def test_sparse_and_ctc_functions_match_keras(keras, rng):
    y_true, y_pred = _inputs("sparse", rng)
    assert_close(_np(kerasish.losses.sparse_categorical_crossentropy(torch.as_tensor(y_true), torch.as_tensor(y_pred))),
                 _np(keras.losses.sparse_categorical_crossentropy(y_true, y_pred)))
    y_true, y_pred = _inputs("ctc", rng)
    assert_close(_np(kerasish.losses.ctc(torch.as_tensor(y_true), torch.as_tensor(y_pred))),
                 _np(keras.losses.ctc(y_true, y_pred)), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("alias", ["mse", "MSE", "mae", "mape", "msle", "kld", "KLD", "bce", "BCE"])
def test_aliases_resolve_like_keras(keras, rng, alias):
    y_true, y_pred = _inputs("bin", rng)
    ours = kerasish.losses.get(alias)(torch.as_tensor(y_true), torch.as_tensor(y_pred))
    assert_close(_np(ours), _np(keras.losses.get(alias)(y_true, y_pred)))


def test_masked_output_matches_keras(keras, rng):
    y_true, y_pred = _inputs("reg", rng)
    mask = np.array([1, 1, 0, 1, 0, 1], bool)
    sw = _weights("reg", rng, B)
    for reduction in REDUCTIONS:
        yp = torch.as_tensor(y_pred)
        yp._keras_mask = torch.as_tensor(mask)
        ours = kerasish.losses.MeanSquaredError(reduction=reduction)(y_true, yp, sample_weight=sw)
        kp = torch.as_tensor(y_pred)
        kp._keras_mask = torch.as_tensor(mask)
        theirs = keras.losses.MeanSquaredError(reduction=reduction)(y_true, kp, sample_weight=sw)
        assert_close(_np(ours), _np(theirs))


def test_newer_loss_functions_match_keras(keras, rng):
    labels, emb = _inputs("emb", rng)
    ref_labels, ref = _inputs("emb", rng)
    kw = dict(ref_labels=ref_labels, ref_embeddings=ref, gamma=20, margin=0.3)
    assert_close(_np(kerasish.losses.circle(labels, emb, **kw)), _np(keras.losses.circle(labels, emb, **kw)),
                 rtol=1e-5, atol=1e-5)
    labels, probs = (torch.as_tensor(a) for a in _inputs("gce", rng))  # Keras's function needs tensors
    assert_close(_np(kerasish.losses.categorical_generalized_cross_entropy(labels, probs, q=0.3)),
                 _np(keras.losses.categorical_generalized_cross_entropy(labels, probs, q=0.3)))


@pytest.mark.parametrize("q", [0, 1, -0.5, "0.5"])
def test_generalized_crossentropy_rejects_bad_q(q):
    with pytest.raises(ValueError, match=r"Received: q="):
        kerasish.losses.CategoricalGeneralizedCrossEntropy(q=q)


def test_circle_rejects_non_matrix_embeddings():
    with pytest.raises(ValueError, match=r"Received: y_pred.shape=\(6,\)"):
        kerasish.losses.circle(np.zeros(6), np.zeros(6, "float32"))
