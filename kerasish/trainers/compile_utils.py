"""What `compile()` turns its `loss`, `loss_weights`, `metrics` and `weighted_metrics` into.

`CompileLoss` and `CompileMetrics` resolve string ids once, at the first batch (when the output
shapes are known, so `"accuracy"` can become the right accuracy, as Keras resolves it), and then
only issue device ops per step.
"""

import torch

from kerasish import losses as losses_module
from kerasish import metrics as metrics_module
from kerasish.metrics.metric import Metric, MeanMetricWrapper


def flatten_outputs(y, output_names):
    """A model output structure (tensor, list, tuple or dict) as a list ordered like the outputs."""
    if isinstance(y, dict):
        missing = [n for n in output_names if n not in y]
        if missing:
            raise ValueError(
                f"Expected a dict with keys {output_names} (the model's output names). "
                f"Received keys: {sorted(y)}"
            )
        return [y[n] for n in output_names]
    if isinstance(y, (list, tuple)):
        return list(y)
    return [y]


def _per_output(spec, output_names, what):
    """Expands a compile argument into one entry per output."""
    n = len(output_names)
    if isinstance(spec, dict):
        unknown = set(spec) - set(output_names)
        if unknown:
            raise ValueError(
                f"In `compile()`, the `{what}` dict has keys {sorted(unknown)} that are not output "
                f"names. Expected keys among: {output_names}. Received: {what}={spec}"
            )
        return [spec.get(name) for name in output_names]
    if isinstance(spec, (list, tuple)) and what != "metrics":
        if len(spec) != n:
            raise ValueError(
                f"In `compile()`, `{what}` should have one entry per output ({n}). "
                f"Received: {what}={spec}"
            )
        return list(spec)
    return [spec] * n


def _resolve_loss(identifier):
    if identifier is None:
        return None
    if isinstance(identifier, losses_module.Loss):
        return identifier
    obj = losses_module.get(identifier)
    if isinstance(obj, type):
        obj = obj()
    if isinstance(obj, losses_module.Loss):
        return obj
    if not callable(obj):
        raise ValueError(f"Could not interpret loss identifier: {identifier!r}")
    return losses_module.LossFunctionWrapper(obj, name=getattr(obj, "__name__", None))


class CompileLoss:
    """The compiled loss: `sum_i loss_weight_i * loss_i(y_true_i, y_pred_i, sample_weight_i)`."""

    def __init__(self, loss, loss_weights=None, output_names=None):
        self._loss_spec = loss
        self._loss_weights_spec = loss_weights
        self.output_names = list(output_names or [])
        self.built = False

    def build(self, y_pred):
        n = len(flatten_outputs(y_pred, self.output_names or ["output"]))
        if len(self.output_names) != n:
            self.output_names = [f"output_{i}" for i in range(n)] if n > 1 else (self.output_names[:1] or ["output"])
        spec = self._loss_spec
        if isinstance(spec, (list, tuple)) and n == 1 and len(spec) == 1:
            spec = spec[0]
        self.losses = [_resolve_loss(s) for s in _per_output(spec, self.output_names, "loss")]
        weights = self._loss_weights_spec
        if weights is None:
            self.loss_weights = [1.0] * n
        else:
            self.loss_weights = [1.0 if w is None else float(w)
                                 for w in _per_output(weights, self.output_names, "loss_weights")]
        self.built = True

    @property
    def per_output_names(self):
        """Log names of the per-output losses (only for several outputs with a loss)."""
        if len(self.output_names) < 2:
            return []
        return [f"{name}_loss" for name, fn in zip(self.output_names, self.losses) if fn is not None]

    def __call__(self, y_true, y_pred, sample_weight=None, regularization_losses=None):
        total, _ = self.compute(y_true, y_pred, sample_weight)
        if regularization_losses:
            total = total + sum(regularization_losses)
        tracker = getattr(self, "_tracker", None)
        if tracker is not None:  # a Keras 2 custom train_step logs "loss" through this call
            first = flatten_outputs(y_pred, self.output_names or ["output"])[0]
            tracker.update(total.detach(), int(first.shape[0]) if first.ndim else 1)
        return total

    def compute(self, y_true, y_pred, sample_weight=None):
        """(total, [per-output loss tensors])."""
        if not self.built:
            self.build(y_pred)
        if len(self.losses) == 1:
            fn = self.losses[0]
            if isinstance(y_true, (list, tuple)) and len(y_true) == 1:
                y_true = y_true[0]
            if isinstance(y_true, dict):
                y_true = flatten_outputs(y_true, self.output_names)[0]
            if isinstance(sample_weight, (list, tuple)) and len(sample_weight) == 1:
                sample_weight = sample_weight[0]
            if isinstance(y_pred, (list, tuple)):
                y_pred = y_pred[0]
            value = fn(y_true, y_pred, sample_weight)
            if self.loss_weights[0] != 1.0:
                value = value * self.loss_weights[0]
            return value, [value]
        y_true = flatten_outputs(y_true, self.output_names)
        y_pred = flatten_outputs(y_pred, self.output_names)
        if len(y_true) != len(y_pred):
            raise ValueError(
                f"The model has {len(y_pred)} outputs but {len(y_true)} targets were given."
            )
        if sample_weight is None or isinstance(sample_weight, torch.Tensor):
            sws = [sample_weight] * len(y_pred)
        else:
            sws = flatten_outputs(sample_weight, self.output_names)
        total, parts = None, []
        for fn, w, yt, yp, sw in zip(self.losses, self.loss_weights, y_true, y_pred, sws):
            if fn is None:
                continue
            value = fn(yt, yp, sw)
            parts.append(value)
            term = value * w if w != 1.0 else value
            total = term if total is None else total + term
        return total, parts


def _resolve_metric(identifier, y_true, y_pred, loss_fn=None):
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        is_binary = y_pred.ndim >= 1 and y_pred.shape[-1] == 1
        is_sparse = y_true.ndim < y_pred.ndim or (y_true.shape[-1] == 1 and y_pred.shape[-1] > 1)
        fn = (metrics_module.binary_accuracy if is_binary
              else metrics_module.sparse_categorical_accuracy if is_sparse
              else metrics_module.categorical_accuracy)
        return MeanMetricWrapper(fn, name=identifier)
    if isinstance(identifier, str) and identifier.lower() in ("crossentropy", "ce"):
        is_binary = y_pred.shape[-1] == 1
        is_sparse = y_true.ndim < y_pred.ndim or (y_true.shape[-1] == 1 and y_pred.shape[-1] > 1)
        fn = (metrics_module.binary_crossentropy if is_binary
              else metrics_module.sparse_categorical_crossentropy if is_sparse
              else metrics_module.categorical_crossentropy)
        return MeanMetricWrapper(fn, name=identifier)
    if isinstance(identifier, Metric):
        return identifier
    obj = metrics_module.get(identifier)
    if isinstance(obj, type):
        obj = obj()
    if isinstance(obj, Metric):
        if isinstance(identifier, str):
            obj.name = identifier
        return obj
    if not callable(obj):
        raise ValueError(f"Could not interpret metric identifier: {identifier!r}")
    name = identifier if isinstance(identifier, str) else getattr(obj, "__name__", "metric")
    return MeanMetricWrapper(obj, name=name)


class CompileMetrics:
    """The compiled metrics, per output; `weighted_metrics` also receive the sample weights."""

    def __init__(self, metrics=None, weighted_metrics=None, output_names=None):
        self._metrics_spec = metrics
        self._weighted_spec = weighted_metrics
        self.output_names = list(output_names or [])
        self.built = False
        self._flat = []  # (output index, metric, weighted)

    @staticmethod
    def _normalize(spec, output_names):
        if spec is None:
            return [[] for _ in output_names]
        if isinstance(spec, dict):
            return [list(spec.get(n) or []) if isinstance(spec.get(n), (list, tuple))
                    else ([spec[n]] if spec.get(n) is not None else []) for n in output_names]
        if isinstance(spec, (list, tuple)):
            if len(output_names) > 1 and spec and all(isinstance(s, (list, tuple)) or s is None for s in spec):
                if len(spec) != len(output_names):
                    raise ValueError(
                        f"`metrics` given as a list of lists must have one list per output "
                        f"({len(output_names)}). Received: metrics={spec}"
                    )
                return [list(s or []) for s in spec]
            return [list(spec) for _ in output_names]
        return [[spec] for _ in output_names]

    def build(self, y_true, y_pred):
        y_pred_flat = flatten_outputs(y_pred, self.output_names or ["output"])
        n = len(y_pred_flat)
        if len(self.output_names) != n:
            self.output_names = [f"output_{i}" for i in range(n)] if n > 1 else (self.output_names[:1] or ["output"])
        y_true_flat = flatten_outputs(y_true, self.output_names) if n > 1 else [
            y_true[0] if isinstance(y_true, (list, tuple)) else
            (flatten_outputs(y_true, self.output_names)[0] if isinstance(y_true, dict) else y_true)]
        self._flat = []
        names = set()
        for weighted, spec in ((False, self._metrics_spec), (True, self._weighted_spec)):
            for i, ids in enumerate(self._normalize(spec, self.output_names)):
                for ident in ids:
                    m = _resolve_metric(ident, y_true_flat[i], y_pred_flat[i])
                    if m is None:
                        continue
                    if n > 1:
                        m.name = f"{self.output_names[i]}_{m.name}"
                    if weighted and m.name in names:
                        m.name = f"weighted_{m.name}"
                    names.add(m.name)
                    self._flat.append((i, m, weighted))
        self.built = True

    @property
    def metrics(self):
        return [m for _, m, _ in self._flat]

    def _move_to(self, device):
        for m in self.metrics:
            m._move_to(device)

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        if not self._flat:
            return
        n = len(self.output_names)
        if n == 1:
            if isinstance(y_pred, (list, tuple)):
                y_pred = y_pred[0]
            if isinstance(y_true, (list, tuple)):
                y_true = y_true[0]
            elif isinstance(y_true, dict):
                y_true = flatten_outputs(y_true, self.output_names)[0]
            if isinstance(sample_weight, (list, tuple)):
                sample_weight = sample_weight[0]
            for _, m, weighted in self._flat:
                m.update_state(y_true, y_pred, sample_weight) if weighted else m.update_state(y_true, y_pred)
            return
        y_true = flatten_outputs(y_true, self.output_names)
        y_pred = flatten_outputs(y_pred, self.output_names)
        if sample_weight is None or isinstance(sample_weight, torch.Tensor):
            sws = [sample_weight] * n
        else:
            sws = flatten_outputs(sample_weight, self.output_names)
        for i, m, weighted in self._flat:
            if weighted:
                m.update_state(y_true[i], y_pred[i], sws[i])
            else:
                m.update_state(y_true[i], y_pred[i])

    def reset_state(self):
        for m in self.metrics:
            m.reset_state()

    def result(self):
        return {m.name: m.result() for m in self.metrics}
