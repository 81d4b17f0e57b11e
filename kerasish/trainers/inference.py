"""`evaluate`, `predict` and the `*_on_batch` methods of `Trainer`."""

import torch

from kerasish.distribute import training as dist_training
from kerasish.layers.layer import inference_weights_scope
from kerasish.trainers import data_adapters, execution
from kerasish.trainers.fast_math import fast_cpu_math
from kerasish.trainers.logs import to_numbers
from kerasish.trainers.trainer_utils import (
    concat_outputs, concat_tensors, num_samples, parse_verbose, pop_data_options, to_numpy_structure,
)


class InferenceMixin:
    """Evaluation and prediction; relies on `Trainer` for steps, metrics and devices."""

    @fast_cpu_math()
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
        if dist_training.begin(self):
            data = dist_training.shard(data)
            verbose = verbose if dist_training.process_group.is_chief() else 0
        callbacks = self._callback_list(callbacks, verbose, 1, data.num_batches)
        logs = self._evaluate_loop(data, callbacks)
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def _evaluate_loop(self, data, callbacks):
        self.eval()
        self._cache_loss_terms()
        self.reset_metrics()
        test_step = self._get_step("test")
        needs_batch_hooks = callbacks.needs_batch_hooks
        callbacks.on_test_begin()
        with torch.no_grad(), inference_weights_scope():
            spe = getattr(self, "steps_per_execution", 1)
            for first, last, batches in execution.grouped_steps(data, spe):
                if needs_batch_hooks:
                    callbacks.on_test_batch_begin(first)
                for batch in batches:
                    logs = test_step(batch)
                if needs_batch_hooks:
                    callbacks.on_test_batch_end(last, logs)
        logs = to_numbers(self._epoch_metrics_result())
        callbacks.on_test_end(logs)
        return logs

    # ------------------------------------------------------------------ predict
    @fast_cpu_math()
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None, **kwargs):
        """Predictions for `x` as numpy arrays (a list or dict for several outputs)."""
        data_options = pop_data_options(kwargs)
        if kwargs:
            raise TypeError(f"Invalid keyword arguments passed to `predict()`: {sorted(kwargs)}")
        verbose = parse_verbose(verbose)
        rows = None
        if dist_training.begin(self) and data_adapters._is_array(x):
            # Each rank predicts a contiguous share; the shares are gathered in order below.
            rows = int(x.shape[0])
            start, stop = dist_training.predict_shard(x, rows)
            x = x[start:stop]
            verbose = verbose if dist_training.process_group.is_chief() else 0
        data = data_adapters.get_data_adapter(x, None, None, batch_size=batch_size, steps=steps,
                                              shuffle=False, device=self._model_device(), **data_options)
        callbacks = self._callback_list(callbacks, verbose, 1, data.num_batches)
        self.eval()
        predict_step = self._get_step("predict")
        needs_batch_hooks = callbacks.needs_batch_hooks
        callbacks.on_predict_begin()
        outputs = []
        # Single process: outputs go to host memory batch by batch (bounded device memory).
        collector = None if rows is not None else execution.HostOutputs(
            self._model_device(), getattr(data, "num_samples", None) if steps is None else None)
        with torch.no_grad(), inference_weights_scope():
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

    # ------------------------------------------------------------------ on_batch
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, reset_metrics=True,
                       return_dict=False):
        """One training step on one batch; returns the loss (and metrics) as numbers."""
        self._assert_compiled()
        data = data_adapters.get_data_adapter(x, y, sample_weight, batch_size=num_samples(x),
                                              class_weight=class_weight, device=self._model_device())
        self.train()
        self._ensure_built(data)
        self._prepare_training()
        if reset_metrics:
            self.reset_metrics()
        for batch in data:
            self.train_step(batch)
        return self._batch_result(return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, reset_metrics=True, return_dict=False):
        self._assert_compiled()
        data = data_adapters.get_data_adapter(x, y, sample_weight, batch_size=num_samples(x),
                                              device=self._model_device())
        self.eval()
        self._cache_loss_terms()
        if reset_metrics:
            self.reset_metrics()
        with torch.no_grad():
            for batch in data:
                self.test_step(batch)
        return self._batch_result(return_dict)

    def predict_on_batch(self, x):
        self.eval()
        data = data_adapters.get_data_adapter(x, batch_size=num_samples(x), device=self._model_device())
        with torch.no_grad():
            outs = [self.predict_step(batch) for batch in data]
        return concat_outputs(outs)

    def _batch_result(self, return_dict):
        logs = to_numbers(self.get_metrics_result())
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values
