"""`Trainer`: Keras's `compile` / `fit` / `evaluate` / `predict` for a model.

The loop is tight: batches arrive as device tensors, losses and metrics accumulate on the device,
and the host reads numbers only at the end of an epoch, when the progress bar redraws, or when a
callback reads a batch log. The steps (`train_step`, `test_step`, `predict_step`) are small
overridable methods, as in Keras.
"""

import inspect
import warnings

import torch

from kerasish import optimizers as optimizers_module
from kerasish.backend import config
from kerasish.backend.traceback_utils import filter_traceback, user_stacklevel
from kerasish.callbacks.callback_list import CallbackList
from kerasish.layers.layer import call_context
from kerasish.metrics.metric import Metric
from kerasish.distribute import training as dist_training
from kerasish.trainers import data_adapters, execution
from kerasish.trainers.compile_utils import CompileLoss, CompileMetrics
from kerasish.trainers.fast_math import fast_cpu_math
from kerasish.trainers.inference import InferenceMixin
from kerasish.trainers.logs import LazyLogs, LossTracker, keras_log_order, to_numbers
from kerasish.trainers.trainer_utils import (  # noqa: F401
    batch_size_of, check_batch_size, check_epochs, check_has_samples, check_validation_split,
    float32_outputs, parse_verbose, pop_data_options, should_validate,
)

def _metric_attributes(layer):
    """The `Metric`s a layer holds as attributes (alone or in a list/tuple), in attribute order."""
    for value in vars(layer).values():
        if isinstance(value, Metric):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from (v for v in value if isinstance(v, Metric))


class Trainer(InferenceMixin):
    """Mixin for `Model`: the Keras training API over torch (evaluation and prediction come from
    `InferenceMixin`)."""

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
        # Keras 3 passes `training` to `compute_loss` only when the method takes it (the argument
        # came in Keras 3.3; older overrides, like keras.io's knowledge distillation, lack it).
        self._compute_loss_has_training_arg = (
            "training" in inspect.signature(self.compute_loss).parameters)

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
            raise ValueError(
                "You must call `compile()` before using the model for training or evaluation: "
                "`model.compile(optimizer, loss)`. Received: a model that was not compiled")

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

    def _compute_loss(self, x, y, y_pred, sample_weight, training):
        """`compute_loss`, with `training` only when it takes it (Keras 3's `_compute_loss`)."""
        if self.__dict__.get("_compute_loss_has_training_arg", True):
            return self.compute_loss(x, y, y_pred, sample_weight, training=training)
        return self.compute_loss(x, y, y_pred, sample_weight)

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
        if scaled.requires_grad:
            (scaled * dist_scale if dist_scale != 1.0 else scaled).backward()
            opt.step()
        else:
            # Every weight frozen: Keras still runs the step and its metrics, and says so.
            warnings.warn("The model does not have any trainable weights.", stacklevel=2)
        self._update_loss_trackers(loss.detach(), batch_size_of(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def _forward_and_loss(self, x, y, sample_weight, training):
        """The model's outputs and the loss: the part `jit_compile=True` compiles."""
        fn = self.__dict__.get("_compiled_forward_and_loss") if self._jit_compile else None
        if fn is not None:
            return fn(x, y, sample_weight, training)
        return self._eager_forward_and_loss(x, y, sample_weight, training)

    def _eager_forward_and_loss(self, x, y, sample_weight, training):
        module = self.__dict__.get("_ddp_module", self) if training else self
        y_pred = float32_outputs(module(x, training=training))
        return y_pred, self._compute_loss(x, y, y_pred, sample_weight, training)

    def _predict_forward(self, x):
        """The inference forward pass: compiled with `jit_compile=True` (test and predict steps)."""
        fn = self.__dict__.get("_compiled_predict_forward") if self._jit_compile else None
        if fn is not None:
            return fn(x)
        return self._eager_predict_forward(x)

    def _eager_predict_forward(self, x):
        return float32_outputs(self(x, training=False))

    def test_step(self, data):
        x, y, sample_weight = data_adapters.unpack_x_y_sample_weight(data)
        y_pred = self._predict_forward(x)
        if self.compiled_loss is not None or type(self).compute_loss is not Trainer.compute_loss \
                or self._regularization_losses():
            loss = self._compute_loss(x, y, y_pred, sample_weight, False)
            self._update_loss_trackers(loss.detach(), batch_size_of(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        x, _, _ = data_adapters.unpack_x_y_sample_weight(data)
        return self._predict_forward(x)

    # ------------------------------------------------------------------ metrics
    @property
    def metrics(self):
        """The model's metrics: the loss tracker(s), the compiled metrics, the `Metric` attributes
        of the model (Keras's `Mean` trackers in subclassed models), then those of its layers (a
        metric a layer updates in `call`, Keras's "endpoint layer"), as Keras lists them."""
        out = []
        if self._loss_tracker is not None:
            out.append(self._loss_tracker)
        if getattr(self, "_per_output_trackers", None):
            out.extend(self._per_output_trackers)
        if self.compiled_metrics is not None:
            out.extend(self.compiled_metrics.metrics)
        for layer in self._flatten_layers():
            # A nested model's own trackers (its `loss`, its compiled metrics) are not this
            # model's; its layers' metrics are (Keras skips sub-`Trainer`s the same way).
            if layer is not self and isinstance(layer, Trainer):
                continue
            for value in _metric_attributes(layer):
                if not any(value is m for m in out):
                    out.append(value)
        for layer in self._flatten_layers():
            for metric in layer.__dict__.get("_added_metrics", {}).values():
                if metric not in out:
                    out.append(metric)
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
    @filter_traceback
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1, **kwargs):
        """Trains the model for `epochs` epochs; returns a `History`.

        Arguments and defaults are Keras's (`batch_size=32`, `shuffle=True`, `verbose=1`);
        `validation_split` takes the last fraction of the data before shuffling. Keras 2's
        `nb_epoch` is accepted.

        If an exception interrupts training, it propagates as in Keras (`on_train_end` is not
        called), and the process state `fit` changed (the CPU float mode, the model's
        train/eval mode, a DDP wrapper) is restored first.
        """
        data_options = pop_data_options(kwargs)
        epochs = check_epochs(self._legacy_fit_kwargs(kwargs, epochs), initial_epoch)
        if config.max_epochs() and config.max_epochs() < epochs:
            warnings.warn(f"Limiting epochs to {config.max_epochs()}", stacklevel=user_stacklevel())
            epochs = config.max_epochs()
        self._assert_compiled()
        verbose = parse_verbose(verbose)
        batch_size = check_batch_size(batch_size)
        validation_batch_size = check_batch_size(validation_batch_size, "validation_batch_size")
        validation_split = check_validation_split(validation_split)
        device = self._model_device()
        distributed = dist_training.begin(self)
        if distributed:
            verbose = verbose if dist_training.process_group.is_chief() else 0
            callbacks = dist_training.chief_callbacks(callbacks, self)
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapters.split_arrays(
                x, y, sample_weight, validation_split)
        train_data = data_adapters.get_data_adapter(
            x, y, sample_weight, batch_size=batch_size, steps=steps_per_epoch, shuffle=shuffle,
            class_weight=class_weight, device=device, **data_options)
        check_has_samples(train_data)
        val_data = None
        if validation_data is not None:
            vx, vy, vsw = data_adapters.unpack_x_y_sample_weight(validation_data)
            val_data = data_adapters.get_data_adapter(
                vx, vy, vsw, batch_size=validation_batch_size or batch_size, steps=validation_steps,
                shuffle=False, device=device, **data_options)
            check_has_samples(val_data, "validation_data")
        if distributed:
            train_data = dist_training.shard(train_data, self)
            val_data = dist_training.shard(val_data, self, scale_loss=False)
        callbacks = self._callback_list(callbacks, verbose, epochs, train_data.num_batches, fit=True)
        with fast_cpu_math():
            try:
                self._fit_loop(train_data, val_data, callbacks, epochs, initial_epoch, validation_freq,
                               distributed)
            finally:
                # Also on errors: no DDP wrapper or training mode left behind (Keras 3 does not
                # call `on_train_end` on errors; neither does kerasish).
                dist_training.unwrap_ddp(self)
                self.eval()
        return self.history

    def _fit_loop(self, train_data, val_data, callbacks, epochs, initial_epoch, validation_freq,
                  distributed):
        self.stop_training = False
        self.train()
        self._ensure_built(train_data)
        self._build_compiled_metrics(train_data)
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
            ran = False
            for first, last, batches in execution.grouped_steps(train_data, self.steps_per_execution):
                if needs_batch_hooks:
                    callbacks.on_train_batch_begin(first)
                for batch in batches:
                    logs = train_step(batch)
                ran = True
                if needs_batch_hooks:
                    callbacks.on_train_batch_end(last, logs)
                if self.stop_training:
                    break
            if not ran:
                # An exhausted generator: Keras interrupts training rather than log empty epochs.
                break
            epoch_logs = keras_log_order(to_numbers(self._epoch_metrics_result()))
            if val_data is not None and should_validate(epoch, validation_freq):
                val_logs = self._evaluate_loop(val_data, callbacks)
                epoch_logs.update({"val_" + k: v for k, v in val_logs.items()})
                self.train()
            callbacks.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        if epochs > 0 and hasattr(self.optimizer, "finalize_variable_values"):
            self.optimizer.finalize_variable_values(self.trainable_weights)  # use_ema: write averages
        callbacks.on_train_end(epoch_logs)

    def _epoch_metrics_result(self):
        """The metrics over the epoch: all ranks' updates when training under torchrun."""
        if dist_training.active():
            return dist_training.metric_results(self)
        return self.get_metrics_result()

    def _legacy_fit_kwargs(self, kwargs, epochs):
        if "nb_epoch" in kwargs:
            warnings.warn("The `nb_epoch` argument in `fit` has been renamed `epochs`.",
                          stacklevel=user_stacklevel())
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

    def _build_compiled_metrics(self, adapter):
        """Builds the compiled metrics before a custom `train_step`/`test_step` runs, so the
        step finds them in `self.metrics` (Keras builds them symbolically before the loop)."""
        cm = self.compiled_metrics
        cls = type(self)
        if cm is None or cm.built or (cls.train_step is Trainer.train_step
                                      and cls.test_step is Trainer.test_step):
            return
        for batch in ([adapter.peek()] if hasattr(adapter, "peek") else adapter):
            x, y, _ = data_adapters.unpack_x_y_sample_weight(batch)
            if y is not None:
                with torch.no_grad():
                    cm.build(y, self(x, training=False))
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
