"""`Trainer`: Keras's `compile` / `fit` / `evaluate` / `predict` for a model.

The loop is tight: batches arrive as device tensors, losses and metrics accumulate on the device,
and the host reads numbers only at the end of an epoch, when the progress bar redraws, or when a
callback reads a batch log. The steps (`train_step`, `test_step`, `predict_step`) are small
overridable methods, as in Keras.
"""

import warnings

import numpy as np
import torch

from kerasish import optimizers as optimizers_module
from kerasish.callbacks.callback_list import CallbackList
from kerasish.layers.layer import call_context
from kerasish.metrics.metric import Metric
from kerasish.distribute import training as dist_training
from kerasish.trainers import data_adapters, execution
from kerasish.trainers.compile_utils import CompileLoss, CompileMetrics
from kerasish.trainers.fast_math import fast_cpu_math
from kerasish.trainers.logs import LazyLogs, LossTracker, to_numbers

_FIT_KWARGS_LEGACY = {"nb_epoch": "epochs"}


class Trainer:
    """Mixin for `Model`: the Keras training API over torch."""

    def _init_trainer(self):
        self.compiled = False
        self.optimizer = None
        self.compiled_loss = None
        self.compiled_metrics = None
        self.loss = None
        self.stop_training = False
        self.history = None
        self._loss_tracker = None
        self._jit_compile = False
        self._reg_terms = None

    # ------------------------------------------------------------------ compile
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1, jit_compile="auto",
                auto_scale_loss=True, **kwargs):
        """Configures the model for training.

        Args:
            optimizer: string id (`"rmsprop"`), `Optimizer` instance, or `torch.optim.Optimizer`.
            loss: string id, function `(y_true, y_pred)`, `Loss` instance, or a list/dict of these
                (one per output).
            metrics: list of string ids, functions or `Metric` instances (or per output).
            loss_weights: scalars weighting each output's loss (list or dict by output name).
            weighted_metrics: metrics that also receive `sample_weight` / `class_weight`.
            steps_per_execution: steps run per callback dispatch (`on_*_batch_begin/end` are called
                once per group of this many batches). Defaults to `1`.
            jit_compile: `True` compiles the steps with `torch.compile`. `"auto"` means eager.

        Example:

        ```python
        model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
        ```
        """
        for legacy in ("sample_weight_mode", "target_tensors", "distribute", "experimental_run_tf_function"):
            kwargs.pop(legacy, None)
        if kwargs:
            raise TypeError(f"Invalid keyword arguments passed to `compile()`: {sorted(kwargs)}")
        self.optimizer = optimizers_module.get(optimizer)
        self._maybe_wrap_loss_scale(auto_scale_loss)
        self.loss = loss
        output_names = self._output_names_for_compile()
        self.compiled_loss = CompileLoss(loss, loss_weights, output_names) if loss is not None else None
        self.compiled_metrics = CompileMetrics(metrics, weighted_metrics, output_names)
        self._loss_tracker = LossTracker("loss")
        if self.compiled_loss is not None:
            self.compiled_loss._tracker = self._loss_tracker
        self._per_output_trackers = None
        self._jit_compile = jit_compile is True
        self._run_eagerly = run_eagerly
        self.steps_per_execution = execution.check_steps_per_execution(steps_per_execution)
        self.compiled = True
        self.__dict__.pop("_compiled_forward_and_loss", None)
        self.__dict__.pop("_compiled_predict_forward", None)

    def _maybe_wrap_loss_scale(self, auto_scale_loss):
        """Under a `mixed_float16` policy, Keras wraps the optimizer in a LossScaleOptimizer."""
        from kerasish.mixed_precision import global_policy
        from kerasish.optimizers.optimizer import Optimizer

        if not auto_scale_loss or not isinstance(self.optimizer, Optimizer):
            return
        uses_fp16 = global_policy().compute_dtype == "float16" or any(
            getattr(layer, "_autocast_dtype", None) == torch.float16 for layer in self._flatten_layers())
        from kerasish.mixed_precision.loss_scale_optimizer import LossScaleOptimizer

        if uses_fp16 and not isinstance(self.optimizer, LossScaleOptimizer):
            self.optimizer = LossScaleOptimizer(self.optimizer)

    def _output_names_for_compile(self):
        names = getattr(self, "output_names", None)
        return list(names) if names else None

    def _assert_compiled(self):
        if not self.compiled:
            raise RuntimeError(
                "You must compile your model before training/testing. Use `model.compile(optimizer, loss)`."
            )

    # ------------------------------------------------------------------ devices and params
    def _model_device(self):
        for p in self.parameters():
            return p.device
        from kerasish.backend import config

        return config.get_device()

    def _prepare_training(self):
        """Builds the optimizer on the current trainable weights and caches the loss terms."""
        params = self.trainable_weights
        opt = self.optimizer
        if isinstance(opt, torch.optim.Optimizer):
            self._params = params
        else:
            if not opt.built or len(opt._variables) != len(params) or any(
                a is not b for a, b in zip(opt._variables, params)
            ):
                if opt.built:
                    opt._rebuild_for(params)
                else:
                    opt.build(params)
            self._params = params
        self._cache_loss_terms()

    def _cache_loss_terms(self):
        """The (weight, regularizer) pairs whose penalties join the loss each step."""
        self._reg_terms = [(p, reg) for layer in self._flatten_layers()
                           for p, reg in layer._weight_regularizers]

    def _regularization_losses(self):
        terms = []
        if self._reg_terms:
            from kerasish.backend import layouts

            for p, reg in self._reg_terms:
                if p.requires_grad:
                    terms.append(reg(layouts.to_keras(p, detach=False)))
        ctx = call_context()
        if ctx.loss_layers:
            for layer in ctx.loss_layers:
                for loss in layer._losses:
                    terms.append(loss() if callable(loss) else loss)
        return terms

    # ------------------------------------------------------------------ steps
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The total loss: the compiled loss plus the losses added by layers (`add_loss`,
        regularizers)."""
        total = None
        if self.compiled_loss is not None and y is not None:
            total, parts = self.compiled_loss.compute(y, y_pred, sample_weight)
            # Plain dict write: nn.Module.__setattr__ costs microseconds on the hot path.
            self.__dict__["_last_output_losses"] = parts
        extra = self._regularization_losses()
        if extra:
            s = extra[0] if len(extra) == 1 else torch.stack([torch.as_tensor(e).reshape(()) for e in extra]).sum()
            total = s if total is None else total + s
        if total is None:
            raise ValueError(
                "No loss to compute. Provide a `loss` argument in `compile()` (or targets `y` to fit), "
                "or add losses in the model with `add_loss()`."
            )
        return total

    def _update_loss_trackers(self, loss, batch_size):
        self._loss_tracker.update(loss, batch_size)
        names = self.compiled_loss.per_output_names if self.compiled_loss is not None else []
        if names:
            if self._per_output_trackers is None:
                self._per_output_trackers = [LossTracker(n) for n in names]
            for tracker, value in zip(self._per_output_trackers, self._last_output_losses):
                tracker.update(value, batch_size)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        if y is not None:
            self.compiled_metrics.update_state(y, y_pred, sample_weight)
        return self._lazy_logs

    def train_step(self, data):
        """One training step on a batch `(x, y, sample_weight)`; returns the logs."""
        x, y, sample_weight = data_adapters.unpack_x_y_sample_weight(data)
        for p in self._params:
            p.grad = None
        y_pred, loss = self._forward_and_loss(x, y, sample_weight, True)
        opt = self.optimizer
        # `loss_scale_factor` / LossScaleOptimizer: the loss is scaled here, the grads unscaled
        # by the optimizer.
        scaled = opt.scale_loss(loss) if hasattr(opt, "scale_loss") else loss
        dist_scale = self.__dict__.get("_dist_loss_scale", 1.0)
        (scaled * dist_scale if dist_scale != 1.0 else scaled).backward()
        opt.step()
        self._update_loss_trackers(loss.detach(), _batch_size(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def _forward_and_loss(self, x, y, sample_weight, training):
        """The model's outputs and the loss: the part `jit_compile=True` compiles."""
        fn = self.__dict__.get("_compiled_forward_and_loss") if self._jit_compile else None
        if fn is not None:
            return fn(x, y, sample_weight, training)
        return self._eager_forward_and_loss(x, y, sample_weight, training)

    def _eager_forward_and_loss(self, x, y, sample_weight, training):
        module = self.__dict__.get("_ddp_module", self) if training else self
        y_pred = _float32_outputs(module(x, training=training))
        return y_pred, self.compute_loss(x, y, y_pred, sample_weight, training=training)

    def _predict_forward(self, x):
        """The inference forward pass: compiled with `jit_compile=True` (test and predict steps)."""
        fn = self.__dict__.get("_compiled_predict_forward") if self._jit_compile else None
        if fn is not None:
            return fn(x)
        return self._eager_predict_forward(x)

    def _eager_predict_forward(self, x):
        return _float32_outputs(self(x, training=False))

    def test_step(self, data):
        x, y, sample_weight = data_adapters.unpack_x_y_sample_weight(data)
        y_pred = self._predict_forward(x)
        if self.compiled_loss is not None or self._regularization_losses():
            loss = self.compute_loss(x, y, y_pred, sample_weight, training=False)
            self._update_loss_trackers(loss.detach(), _batch_size(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        x, _, _ = data_adapters.unpack_x_y_sample_weight(data)
        return self._predict_forward(x)

    # ------------------------------------------------------------------ metrics
    @property
    def metrics(self):
        """The model's metrics: the loss tracker(s), the compiled metrics, then any `Metric`
        attributes of the model (Keras's `Mean` trackers in subclassed models)."""
        out = []
        if self._loss_tracker is not None:
            out.append(self._loss_tracker)
        if getattr(self, "_per_output_trackers", None):
            out.extend(self._per_output_trackers)
        if self.compiled_metrics is not None:
            out.extend(self.compiled_metrics.metrics)
        for value in vars(self).values():
            if isinstance(value, Metric) and value not in out:
                out.append(value)
        return out

    @property
    def metrics_names(self):
        names = [m.name for m in self.metrics]
        return names

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    def get_metrics_result(self):
        """The current value of each metric, as tensors (no host sync)."""
        return {m.name: m.result() for m in self.metrics
                if not (isinstance(m, LossTracker) and m.count == 0)}

    @property
    def _lazy_logs(self):
        return LazyLogs(self)

    # ------------------------------------------------------------------ fit
    @fast_cpu_math()
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1, **kwargs):
        """Trains the model for `epochs` epochs; returns a `History`.

        Arguments and defaults are Keras's (`batch_size=32`, `shuffle=True`, `verbose=1`);
        `validation_split` takes the last fraction of the data before shuffling. Keras 2's
        `nb_epoch` is accepted.
        """
        data_options = _pop_data_options(kwargs)
        epochs = self._legacy_fit_kwargs(kwargs, epochs)
        self._assert_compiled()
        verbose = _verbose(verbose)
        device = self._model_device()
        distributed = dist_training.begin(self)
        if distributed:
            verbose = verbose if dist_training.process_group.is_chief() else 0
            callbacks = dist_training.chief_callbacks(callbacks)
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapters.split_arrays(
                x, y, sample_weight, validation_split)
        train_data = data_adapters.get_data_adapter(
            x, y, sample_weight, batch_size=batch_size, steps=steps_per_epoch, shuffle=shuffle,
            class_weight=class_weight, device=device, **data_options)
        val_data = None
        if validation_data is not None:
            vx, vy, vsw = data_adapters.unpack_x_y_sample_weight(validation_data)
            val_data = data_adapters.get_data_adapter(
                vx, vy, vsw, batch_size=validation_batch_size or batch_size, steps=validation_steps,
                shuffle=False, device=device, **data_options)
        if distributed:
            train_data, val_data = dist_training.shard(train_data, self), dist_training.shard(val_data)
        callbacks = self._callback_list(callbacks, verbose, epochs, train_data.num_batches, fit=True)
        self.stop_training = False
        self.train()
        self._ensure_built(train_data)
        self._prepare_training()
        if distributed:
            dist_training.wrap_ddp(self)
        train_step = self._get_step("train")
        needs_batch_hooks = callbacks.needs_batch_hooks
        self._initial_epoch = None
        callbacks.on_train_begin()
        initial_epoch = self._initial_epoch or initial_epoch  # BackupAndRestore's resume point
        epoch_logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            for first, last, batches in execution.grouped_steps(train_data, self.steps_per_execution):
                if needs_batch_hooks:
                    callbacks.on_train_batch_begin(first)
                for batch in batches:
                    logs = train_step(batch)
                if needs_batch_hooks:
                    callbacks.on_train_batch_end(last, logs)
                if self.stop_training:
                    break
            epoch_logs = to_numbers(self._epoch_metrics_result())
            if val_data is not None and _should_validate(epoch, validation_freq):
                val_logs = self._evaluate_loop(val_data, callbacks)
                epoch_logs.update({"val_" + k: v for k, v in val_logs.items()})
                self.train()
            callbacks.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        if epochs > 0 and hasattr(self.optimizer, "finalize_variable_values"):
            self.optimizer.finalize_variable_values(self.trainable_weights)  # use_ema: write averages
        callbacks.on_train_end(epoch_logs)
        dist_training.unwrap_ddp(self)
        self.eval()
        return self.history

    def _epoch_metrics_result(self):
        """The metrics over the epoch: all ranks' updates when training under torchrun."""
        if dist_training.active():
            return dist_training.metric_results(self)
        return self.get_metrics_result()

    def _legacy_fit_kwargs(self, kwargs, epochs):
        if "nb_epoch" in kwargs:
            warnings.warn("The `nb_epoch` argument in `fit` has been renamed `epochs`.", stacklevel=3)
            epochs = kwargs.pop("nb_epoch")
        for ignored in ("max_queue_size", "workers", "use_multiprocessing"):
            kwargs.pop(ignored, None)
        if kwargs:
            raise TypeError(f"Invalid keyword arguments passed to `fit()`: {sorted(kwargs)}")
        return epochs

    def _callback_list(self, callbacks, verbose, epochs, steps, fit=False):
        if isinstance(callbacks, CallbackList):
            return callbacks
        return CallbackList(callbacks, add_history=fit, add_progbar=verbose != 0, model=self,
                            verbose=verbose, epochs=epochs, steps=steps)

    def _ensure_built(self, adapter):
        """Builds an unbuilt model on one batch, so the optimizer sees every weight."""
        if self.built and self.weights:
            return
        # A one-shot input (generator) must not lose the batch used for building.
        for batch in ([adapter.peek()] if hasattr(adapter, "peek") else adapter):
            x, _, _ = data_adapters.unpack_x_y_sample_weight(batch)
            with torch.no_grad():
                self(x, training=False)
            break

    def _get_step(self, kind):
        step = {"train": self.train_step, "test": self.test_step, "predict": self.predict_step}[kind]
        if self._jit_compile and "_compiled_forward_and_loss" not in self.__dict__:
            from kerasish.trainers.jit import compile_step

            # The forward pass and the loss (and so their backward) are compiled; the optimizer
            # update and the metric bookkeeping stay eager (they are already fused foreach ops).
            self.__dict__["_compiled_forward_and_loss"] = compile_step(
                self._eager_forward_and_loss, "forward/loss")
        if self._jit_compile and kind != "train" and "_compiled_predict_forward" not in self.__dict__:
            from kerasish.trainers.jit import compile_step

            self.__dict__["_compiled_predict_forward"] = compile_step(
                self._eager_predict_forward, f"{kind} forward")
        return step

    # ------------------------------------------------------------------ evaluate
    @fast_cpu_math()
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        """Returns the loss (and metrics) on the given data: a scalar when the model has a single
        loss and no metrics, else a list ordered like `metrics_names` (or a dict)."""
        data_options = _pop_data_options(kwargs)
        if kwargs:
            raise TypeError(f"Invalid keyword arguments passed to `evaluate()`: {sorted(kwargs)}")
        self._assert_compiled()
        verbose = _verbose(verbose)
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
        with torch.no_grad():
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
        data_options = _pop_data_options(kwargs)
        if kwargs:
            raise TypeError(f"Invalid keyword arguments passed to `predict()`: {sorted(kwargs)}")
        verbose = _verbose(verbose)
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
        with torch.no_grad():
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
            local = _concat_tensors(outputs) if outputs else torch.zeros(0, device=self._model_device())
            return _to_numpy_structure(dist_training.gather_predictions(local, rows))
        return collector.result()

    # ------------------------------------------------------------------ on_batch
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, reset_metrics=True,
                       return_dict=False):
        """One training step on one batch; returns the loss (and metrics) as numbers."""
        self._assert_compiled()
        data = data_adapters.get_data_adapter(x, y, sample_weight, batch_size=_num_samples(x),
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
        data = data_adapters.get_data_adapter(x, y, sample_weight, batch_size=_num_samples(x),
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
        data = data_adapters.get_data_adapter(x, batch_size=_num_samples(x), device=self._model_device())
        with torch.no_grad():
            outs = [self.predict_step(batch) for batch in data]
        return _concat_outputs(outs)

    def _batch_result(self, return_dict):
        logs = to_numbers(self.get_metrics_result())
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values


def _float32_outputs(y):
    """Mixed-precision outputs back to float32 for losses, metrics and numpy, as Keras computes
    losses in float32. The logits tag of a softmax/sigmoid output comes along."""
    if isinstance(y, torch.Tensor):
        if y.dtype not in (torch.float16, torch.bfloat16):
            return y
        out = y.float()
        logits = getattr(y, "_keras_logits", None)
        if logits is not None:
            out._keras_logits = logits.float()
            out._keras_logits_kind = y._keras_logits_kind
        mask = getattr(y, "_keras_mask", None)
        if mask is not None:
            out._keras_mask = mask
        return out
    if isinstance(y, (list, tuple)):
        return type(y)(_float32_outputs(v) for v in y)
    if isinstance(y, dict):
        return {k: _float32_outputs(v) for k, v in y.items()}
    return y


def _verbose(verbose):
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2, True, False):
        raise ValueError(f"`verbose` must be 0, 1, 2 or 'auto'. Received: verbose={verbose!r}")
    return int(verbose)


def _pop_data_options(kwargs):
    """Keras 2's `workers`/`use_multiprocessing`/`max_queue_size`, for `PyDataset` inputs."""
    return {k: kwargs.pop(k) for k in ("workers", "use_multiprocessing", "max_queue_size") if k in kwargs}


def _should_validate(epoch, validation_freq):
    if isinstance(validation_freq, int):
        if validation_freq < 1:
            raise ValueError(f"`validation_freq` must be a positive integer. Received: {validation_freq}")
        return (epoch + 1) % validation_freq == 0
    return (epoch + 1) in validation_freq


def _first_leaf(x):
    if isinstance(x, dict):
        return _first_leaf(next(iter(x.values())))
    if isinstance(x, (list, tuple)) and x and not np.isscalar(x[0]):
        return _first_leaf(x[0])
    return x


def _batch_size(x):
    leaf = _first_leaf(x)
    return int(leaf.shape[0]) if hasattr(leaf, "shape") and len(leaf.shape) else 1


def _num_samples(x):
    leaf = _first_leaf(x)
    if hasattr(leaf, "shape") and len(leaf.shape):
        return max(int(leaf.shape[0]), 1)
    return max(len(leaf), 1)


def _concat_tensors(outputs):
    first = outputs[0]
    if isinstance(first, torch.Tensor):
        return torch.cat(outputs)
    if isinstance(first, (list, tuple)):
        return type(first)(_concat_tensors([o[i] for o in outputs]) for i in range(len(first)))
    return {k: _concat_tensors([o[k] for o in outputs]) for k in first}


def _to_numpy_structure(y):
    if isinstance(y, torch.Tensor):
        return _to_numpy(y)
    if isinstance(y, (list, tuple)):
        return [_to_numpy_structure(v) for v in y]
    return {k: _to_numpy_structure(v) for k, v in y.items()}


def _to_numpy(t):
    return t.detach().cpu().numpy()


def _concat_outputs(outputs):
    if not outputs:
        return np.zeros((0,))
    first = outputs[0]
    if isinstance(first, torch.Tensor):
        return _to_numpy(torch.cat(outputs) if len(outputs) > 1 else first)
    if isinstance(first, (list, tuple)):
        return [_concat_outputs([o[i] for o in outputs]) for i in range(len(first))]
    if isinstance(first, dict):
        return {k: _concat_outputs([o[k] for o in outputs]) for k in first}
    return np.asarray(outputs)
