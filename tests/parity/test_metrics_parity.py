"""Every Keras metric equals Keras 3's after several `update_state` calls (with and without sample
weights), and again after `reset_state()`; edge cases included.

Data-driven: `CASES` lists (class name, constructor kwargs, input kind).
"""

import numpy as np
import pytest
import torch

import kerasish
from tests.conftest import assert_close

B, C = 8, 4


def _probs(rng, shape):
    x = rng.normal(size=shape).astype("float32") * 2
    e = np.exp(x - x.max(-1, keepdims=True))
    return (e / e.sum(-1, keepdims=True)).astype("float32")


def _inputs(kind, rng):
    normal = lambda *s: rng.normal(size=s).astype("float32")  # noqa: E731
    uniform = lambda *s: rng.uniform(0.0, 1.0, size=s).astype("float32")  # noqa: E731
    binary = lambda *s: rng.integers(0, 2, size=s).astype("float32")  # noqa: E731
    onehot = lambda: np.eye(C, dtype="float32")[rng.integers(0, C, B)]  # noqa: E731
    table = {
        "reg": lambda: (normal(B, 3), normal(B, 3)),
        "pos": lambda: (np.abs(normal(B, 3)), np.abs(normal(B, 3))),
        "bin": lambda: (binary(B, 1), uniform(B, 1)),
        "bin_multi": lambda: (binary(B, 3), uniform(B, 3)),
        "bin_edge": lambda: (binary(B, 1), rng.integers(0, 2, (B, 1)).astype("float32")),
        "bin_single": lambda: (np.ones((B, 1), "float32"), uniform(B, 1)),
        "bin_zeros": lambda: (np.zeros((B, 1), "float32"), uniform(B, 1)),
        "bin_logits": lambda: (binary(B, 1), normal(B, 1) * 3),
        "cat": lambda: (onehot(), _probs(rng, (B, C))),
        "cat_single": lambda: (np.eye(C, dtype="float32")[[1] * B], _probs(rng, (B, C))),
        "sparse": lambda: (rng.integers(0, C, (B, 1)).astype("int64"), _probs(rng, (B, C))),
        "labels": lambda: (rng.integers(0, C, B).astype("int64"), rng.integers(0, C, B).astype("int64")),
        "labels_img": lambda: (rng.integers(0, C, (B, 3, 3)).astype("int64"),
                               rng.integers(0, C, (B, 3, 3)).astype("int64")),
        "hinge": lambda: (binary(B, 3) * 2 - 1, normal(B, 3)),
        "acc": lambda: (rng.integers(0, 3, (B, 1)).astype("float32"), rng.integers(0, 3, (B, 1)).astype("float32")),
    }
    return table[kind]()


CASES = [
    ("Accuracy", {}, ["acc"]),
    ("PearsonCorrelation", {}, ["reg"]),
    ("ConcordanceCorrelation", {}, ["reg", "pos"]),
    ("BinaryAccuracy", {}, ["bin", "bin_multi", "bin_edge"]),
    ("BinaryAccuracy", {"threshold": 0.7}, ["bin"]),
    ("CategoricalAccuracy", {}, ["cat", "cat_single"]),
    ("SparseCategoricalAccuracy", {}, ["sparse"]),
    ("TopKCategoricalAccuracy", {"k": 2}, ["cat"]),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, ["sparse"]),
    ("MeanSquaredError", {}, ["reg"]),
    ("MeanAbsoluteError", {}, ["reg"]),
    ("RootMeanSquaredError", {}, ["reg"]),
    ("MeanAbsolutePercentageError", {}, ["reg"]),
    ("MeanSquaredLogarithmicError", {}, ["pos"]),
    ("CosineSimilarity", {}, ["reg"]),
    ("LogCoshError", {}, ["reg"]),
    ("R2Score", {}, ["reg"]),
    ("R2Score", {"class_aggregation": "variance_weighted_average", "num_regressors": 2}, ["reg"]),
    ("R2Score", {"class_aggregation": None}, ["reg"]),
    ("BinaryCrossentropy", {}, ["bin", "bin_edge", "bin_zeros"]),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, ["bin_logits"]),
    ("CategoricalCrossentropy", {}, ["cat", "cat_single"]),
    ("CategoricalCrossentropy", {"label_smoothing": 0.2}, ["cat"]),
    ("SparseCategoricalCrossentropy", {}, ["sparse"]),
    ("KLDivergence", {}, ["cat"]),
    ("Poisson", {}, ["pos"]),
    ("Hinge", {}, ["hinge", "bin"]),
    ("SquaredHinge", {}, ["hinge"]),
    ("CategoricalHinge", {}, ["cat"]),
    ("AUC", {}, ["bin", "bin_edge", "bin_single", "bin_zeros"]),
    ("AUC", {"curve": "PR"}, ["bin", "bin_edge"]),
    ("AUC", {"curve": "PR", "summation_method": "majoring", "num_thresholds": 50}, ["bin"]),
    ("AUC", {"summation_method": "minoring", "thresholds": [0.1, 0.35, 0.5, 0.9]}, ["bin"]),
    ("AUC", {"curve": "PRGAIN"}, ["bin"]),
    ("AUC", {"multi_label": True}, ["bin_multi"]),
    ("AUC", {"multi_label": True, "label_weights": [0.2, 0.5, 1.0], "curve": "PR"}, ["bin_multi"]),
    ("AUC", {"from_logits": True}, ["bin_logits"]),
    ("Precision", {}, ["bin", "bin_edge", "bin_zeros"]),
    ("Precision", {"thresholds": [0.2, 0.5, 0.8]}, ["bin"]),
    ("Precision", {"top_k": 2}, ["cat"]),
    ("Precision", {"class_id": 2}, ["cat"]),
    ("Recall", {}, ["bin", "bin_single"]),
    ("Recall", {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]}, ["bin"]),
    ("Recall", {"top_k": 1, "class_id": 1}, ["cat"]),
    ("TruePositives", {}, ["bin"]),
    ("TrueNegatives", {"thresholds": [0.3, 0.6]}, ["bin"]),
    ("FalsePositives", {}, ["bin", "bin_edge"]),
    ("FalseNegatives", {}, ["bin"]),
    ("PrecisionAtRecall", {"recall": 0.5}, ["bin"]),
    ("RecallAtPrecision", {"precision": 0.6}, ["bin"]),
    ("SensitivityAtSpecificity", {"specificity": 0.5}, ["bin", "bin_edge"]),
    ("SpecificityAtSensitivity", {"sensitivity": 0.5, "num_thresholds": 1}, ["bin"]),
    ("SpecificityAtSensitivity", {"sensitivity": 0.7, "class_id": 1}, ["cat"]),
    ("F1Score", {}, ["cat"]),
    ("F1Score", {"average": "micro", "threshold": 0.5}, ["bin_multi"]),
    ("FBetaScore", {"average": "macro", "beta": 2.0}, ["cat"]),
    ("FBetaScore", {"average": "weighted", "beta": 0.5, "threshold": 0.3}, ["bin_multi"]),
    ("IoU", {"num_classes": C, "target_class_ids": [0, 2]}, ["labels", "labels_img"]),
    ("MeanIoU", {"num_classes": C}, ["labels", "labels_img"]),
    ("MeanIoU", {"num_classes": C, "ignore_class": 0}, ["labels"]),
    ("BinaryIoU", {}, ["bin"]),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, ["bin"]),
    ("OneHotIoU", {"num_classes": C, "target_class_ids": [1, 3]}, ["cat"]),
    ("OneHotMeanIoU", {"num_classes": C}, ["cat"]),
]
PARAMS = [(name, kw, kind) for name, kw, kinds in CASES for kind in kinds]


def _np(x):
    return np.asarray(x.detach().cpu()) if isinstance(x, torch.Tensor) else np.asarray(x)


def _run(metric, batches, weighted):
    for y_true, y_pred, sw in batches:
        metric.update_state(y_true, y_pred, sample_weight=sw if weighted else None)
    return _np(metric.result())


@pytest.mark.parametrize("name,kwargs,kind", PARAMS, ids=[f"{n}-{k}-{i}" for i, (n, _, k) in enumerate(PARAMS)])
def test_metric_matches_keras(keras, rng, name, kwargs, kind):
    integer_weights = "IoU" in name  # Keras's IoU state is integer: fractional weights truncate
    batches = []
    for _ in range(3):
        y_true, y_pred = _inputs(kind, rng)
        # Per-pixel labels take per-pixel weights.
        wshape = y_true.shape if kind == "labels_img" else (B,)
        sw = rng.integers(0, 3, wshape).astype("float32") if integer_weights \
            else rng.uniform(0, 2, wshape).astype("float32")
        batches.append((y_true, y_pred, sw))
    for weighted in (False, True):
        ours = getattr(kerasish.metrics, name)(**kwargs)
        theirs = getattr(keras.metrics, name)(**kwargs)
        assert_close(_run(ours, batches, weighted), _run(theirs, batches, weighted), rtol=1e-5, atol=1e-6)
        ours.reset_state()
        theirs.reset_state()
        assert_close(_run(ours, batches[:1], weighted), _run(theirs, batches[:1], weighted), rtol=1e-5, atol=1e-6)
        assert ours.name == theirs.name


@pytest.mark.parametrize("name", ["Mean", "Sum"])
def test_reduction_metrics_match_keras(keras, rng, name):
    values = [rng.normal(size=(B, 3)).astype("float32") for _ in range(3)]
    weights = [rng.uniform(0, 2, (B,)).astype("float32") for _ in range(3)]
    for use_w in (False, True):
        ours, theirs = getattr(kerasish.metrics, name)(), getattr(keras.metrics, name)()
        for v, w in zip(values, weights):
            ours.update_state(v, sample_weight=w if use_w else None)
            theirs.update_state(v, sample_weight=w if use_w else None)
        assert_close(_np(ours.result()), _np(theirs.result()))


def test_mean_metric_wrapper_matches_keras(keras, rng):
    y_true, y_pred = _inputs("reg", rng)
    ours = kerasish.metrics.MeanMetricWrapper(kerasish.losses.huber, name="h", delta=0.5)
    theirs = keras.metrics.MeanMetricWrapper(keras.losses.huber, name="h", delta=0.5)
    sw = rng.uniform(0, 1, B).astype("float32")
    ours.update_state(y_true, y_pred, sw)
    theirs.update_state(y_true, y_pred, sw)
    assert_close(_np(ours.result()), _np(theirs.result()))


@pytest.mark.parametrize("fn", ["binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
                                "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy"])
def test_accuracy_functions_match_keras(keras, rng, fn):
    kind = "sparse" if fn.startswith("sparse") else ("bin" if fn.startswith("binary") else "cat")
    y_true, y_pred = _inputs(kind, rng)
    kwargs = {"k": 2} if "top_k" in fn else {}
    ours = getattr(kerasish.metrics, fn)(torch.as_tensor(y_true), torch.as_tensor(y_pred), **kwargs)
    assert_close(_np(ours), _np(getattr(keras.metrics, fn)(y_true, y_pred, **kwargs)))


@pytest.mark.parametrize("fn", ["pearson_correlation", "concordance_correlation"])
@pytest.mark.parametrize("axis", [-1, 0])
def test_correlation_functions_match_keras(keras, rng, fn, axis):
    y_true, y_pred = _inputs("reg", rng)
    ours = getattr(kerasish.metrics, fn)(y_true, y_pred, axis=axis)
    assert_close(_np(ours), _np(getattr(keras.metrics, fn)(y_true, y_pred, axis=axis)))
    metric = kerasish.metrics.get(fn)
    assert type(metric).__name__ == type(keras.metrics.get(fn)).__name__
    assert metric.get_config() == keras.metrics.get(fn).get_config()
