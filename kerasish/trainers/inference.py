"""`evaluate`, `predict` and the `*_on_batch` methods of `Trainer`."""

import contextlib

import numpy as np
import torch

from kerasish.backend.traceback_utils import filter_traceback
from kerasish.distribute import training as dist_training
from kerasish.layers.layer import inference_weights_scope
from kerasish.trainers import data_adapters, execution
from kerasish.trainers.fast_math import fast_cpu_math
from kerasish.trainers.logs import keras_log_order, to_numbers
from kerasish.trainers.trainer_utils import (
    check_batch_size, check_has_samples, concat_outputs, concat_tensors, num_samples, parse_verbose,
    pop_data_options, to_numpy_structure,
)

# Calls on fewer rows than this skip what only pays off on more data: the denormal flush (two
# OpenMP parallel regions, which on a busy machine cost milliseconds as the pool threads wake
# and spin) and the inference re-layout of weights (a copy of every Dense kernel, ~5% faster GEMMs).
_LARGE_CALL_ROWS = 512


def _large_call(data):
    rows = getattr(data, "num_samples", None)
    return rows is None or rows >= _LARGE_CALL_ROWS or getattr(data, "_steps", None) is not None


def _inference_weights(relayout):
    return inference_weights_scope() if relayout else contextlib.nullcontext()


def _one_small_array(x, batch_size):
    """Whether `predict(x)` is a single batch of one plain array, outside torchrun."""
    if not isinstance(x, (np.ndarray, torch.Tensor)) or x.ndim == 0:
        return False
    rows = x.shape[0]
    return 0 < rows <= (batch_size or 32) and rows < _LARGE_CALL_ROWS and not (
        dist_training.process_group.is_initialized() or _launched_distributed())


_launched = None
_accelerator = None


def _launched_distributed():
    # torchrun's environment is set before the process starts: read it once.
    global _launched
    if _launched is None:
        _launched = dist_training.process_group.launched_distributed()
    return _launched


def _cpu_only():
    """Whether no accelerator exists, so a model and its inputs can only be on the CPU (looking
    up a model's device walks all its modules: a tenth of a small `predict`)."""
    global _accelerator
    if _accelerator is None:
        mps, xpu = getattr(torch.backends, "mps", None), getattr(torch, "xpu", None)
        _accelerator = torch.cuda.is_available() or bool(mps and mps.is_available()) or bool(
            xpu and xpu.is_available())
    return not _accelerator


class InferenceMixin:
    """Evaluation and prediction; relies on `Trainer` for steps, metrics and devices."""

    @filter_traceback
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        """Returns the loss (and metrics) on the given data: a scalar when the model has a single
        loss and no metrics, else a list ordered like `metrics_names` (or a dict)."""
        data_options = pop_data_options(kwargs)
        if kwargs:
            raise TypeError(f"Invalid keyword arguments passed to `evaluate()`: {sorted(kwargs)}")
        self._assert_compiled()
        verbose = parse_verbose(verbose)
        data = data_adapters.get_data_adapter(x, y, sample_weight, batch_size=batch_size, steps=steps,
                                              shuffle=False, device=self._model_device(), **data_options)
        check_has_samples(data)
        if dist_training.begin(self):
            data = dist_training.shard(data, self, scale_loss=False)
            verbose = verbose if dist_training.process_group.is_chief() else 0
        callbacks = self._callback_list(callbacks, verbose, 1, data.num_batches)
        large = _large_call(data)
        with fast_cpu_math(large):
            logs = self._evaluate_loop(data, callbacks, relayout=large)
        if return_dict:
            return logs
        return self._flatten_metrics_in_order(logs)

    def _flatten_metrics_in_order(self, logs):
        """The values of `logs` in `metrics_names` order, then any other keys sorted (Keras's)."""
        names = [n for n in dict.fromkeys(m.name for m in self.metrics) if n in logs]
        values = [logs[n] for n in names] + [logs[k] for k in sorted(logs) if k not in names]
        return values[0] if len(values) == 1 else values

    def _evaluate_loop(self, data, callbacks, relayout=True):
        self.eval()
        self._cache_loss_terms()
        if hasattr(self, "_build_compiled_metrics"):
            self._build_compiled_metrics(data)
        self.reset_metrics()
        test_step = self._get_step("test")
        needs_batch_hooks = callbacks.needs_batch_hooks
        callbacks.on_test_begin()
        with torch.no_grad(), _inference_weights(relayout):
            spe = getattr(self, "steps_per_execution", 1)
            for first, last, batches in execution.grouped_steps(data, spe):
                if needs_batch_hooks:
                    callbacks.on_test_batch_begin(first)
                for batch in batches:
                    logs = test_step(batch)
                if needs_batch_hooks:
                    callbacks.on_test_batch_end(last, logs)
        logs = keras_log_order(to_numbers(self._epoch_metrics_result()))
        callbacks.on_test_end(logs)
        return logs

    # ------------------------------------------------------------------ predict
    @filter_traceback
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None, **kwargs):
        """Predictions for `x` as numpy arrays (a list or dict for several outputs)."""
        data_options = pop_data_options(kwargs)
        if kwargs:
            raise TypeError(f"Invalid keyword arguments passed to `predict()`: {sorted(kwargs)}")
        verbose = parse_verbose(verbose)
        batch_size = check_batch_size(batch_size)
        if verbose == 0 and callbacks is None and steps is None and _one_small_array(x, batch_size):
            return self._predict_one_batch(x)
        rows = None
        if dist_training.begin(self) and dist_training.shards_predictions(self) \
                and data_adapters._is_array(x):
            # Each rank predicts a contiguous share; the shares are gathered in order below.
            rows = int(x.shape[0])
            start, stop = dist_training.predict_shard(x, rows)
            x = x[start:stop]
            verbose = verbose if dist_training.process_group.is_chief() else 0
        data = data_adapters.get_data_adapter(x, None, None, batch_size=batch_size, steps=steps,
                                              shuffle=False, device=self._model_device(), **data_options)
        if rows is None:
            check_has_samples(data)
        callbacks = self._callback_list(callbacks, verbose, 1, data.num_batches)
        large = _large_call(data)
        with fast_cpu_math(large):
            return self._predict_loop(data, callbacks, rows, steps, large)

    def _predict_loop(self, data, callbacks, rows, steps, relayout):
        self.eval()
        predict_step = self._get_step("predict")
        needs_batch_hooks = callbacks.needs_batch_hooks
        callbacks.on_predict_begin()
        outputs = []
        # Single process: outputs go to host memory batch by batch (bounded device memory).
        collector = None if rows is not None else execution.HostOutputs(
            self._model_device(), getattr(data, "num_samples", None) if steps is None else None)
        with torch.no_grad(), _inference_weights(relayout):
            for step, batch in enumerate(data):
                if needs_batch_hooks:
                    callbacks.on_predict_batch_begin(step)
                out = predict_step(batch)
                if collector is None:
                    outputs.append(out)
                else:
                    collector.add(out)
                if needs_batch_hooks:
                    callbacks.on_predict_batch_end(step, {"outputs": out})
        callbacks.on_predict_end()
        if rows is not None:
            local = concat_tensors(outputs) if outputs else torch.zeros(0, device=self._model_device())
            return to_numpy_structure(dist_training.gather_predictions(local, rows))
        return collector.result()

    def _predict_one_batch(self, x):
        """`predict` on one array that fits one batch, quietly: the same step, without the loop's
        machinery (adapter, callbacks, output collector), whose cost would dominate a
        single-sample call."""
        if type(x) is np.ndarray and x.dtype == np.float32 and x.flags.c_contiguous:
            t = torch.from_numpy(x)  # what `numeric_tensor` ends with, without its checks
        else:
            t = data_adapters.numeric_tensor(x, "x")
        if not _cpu_only() and isinstance(t, torch.Tensor):  # (text inputs stay numpy)
            device = self._model_device()
            if t.device != device:
                t = t.to(device)
        if self.training:
            self.eval()
        predict_step = self._get_step("predict") if self._jit_compile else self.predict_step
        with torch.no_grad():
            out = predict_step((t,))
        if isinstance(out, torch.Tensor) and out.device.type == "cpu" and not out.requires_grad:
            if isinstance(t, torch.Tensor) and \
                    out.untyped_storage().data_ptr() == t.untyped_storage().data_ptr():
                out = out.clone()  # an identity model: never hand back the caller's own array
            return out.numpy()
        return concat_outputs([out])

    # ------------------------------------------------------------------ on_batch
    @filter_traceback
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, reset_metrics=True,
                       return_dict=False):
        """One training step on one batch; returns the loss (and metrics) as numbers."""
        self._assert_compiled()
        data = data_adapters.get_data_adapter(x, y, sample_weight, batch_size=num_samples(x),
                                              class_weight=class_weight, device=self._model_device())
        check_has_samples(data)
        self.train()
        self._ensure_built(data)
        self._prepare_training()
        if reset_metrics:
            self.reset_metrics()
        for batch in data:
            self.train_step(batch)
        return self._batch_result(return_dict)

    @filter_traceback
    def test_on_batch(self, x, y=None, sample_weight=None, reset_metrics=True, return_dict=False):
        self._assert_compiled()
        data = data_adapters.get_data_adapter(x, y, sample_weight, batch_size=num_samples(x),
                                              device=self._model_device())
        check_has_samples(data)
        self.eval()
        self._cache_loss_terms()
        if reset_metrics:
            self.reset_metrics()
        with torch.no_grad():
            for batch in data:
                self.test_step(batch)
        return self._batch_result(return_dict)

    @filter_traceback
    def predict_on_batch(self, x):
        self.eval()
        data = data_adapters.get_data_adapter(x, batch_size=num_samples(x), device=self._model_device())
        check_has_samples(data)
        with torch.no_grad():
            outs = [self.predict_step(batch) for batch in data]
        return concat_outputs(outs)

    def _batch_result(self, return_dict):
        logs = to_numbers(self.get_metrics_result())  # Keras keeps `metrics` order here
        if return_dict:
            return logs
        return self._flatten_metrics_in_order(logs)
