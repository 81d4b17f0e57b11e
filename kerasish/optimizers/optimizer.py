"""`Optimizer` base class: Keras's update pipeline on torch's multi-tensor kernels.

The base class owns the pipeline — drop missing gradients, clip (`clipnorm`, `clipvalue`,
`global_clipnorm`), weight decay, the subclass's `update_step`, constraints, `iterations += 1` — and
the learning rate (a float, a schedule or a callable; Keras 2's `lr` and `decay` keep their Keras 2
meaning). A subclass writes `build`, `update_step` and `get_config`; its `update_step` receives
lists of parameters and gradients and updates them with `torch._foreach_*` ops.
"""

import math

import torch

from kerasish.backend import layouts
from kerasish.backend.variables import Variable
from kerasish.utils.naming import to_snake_case


class Optimizer:
    """Base class of optimizers.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a zero-argument callable.
        weight_decay: decoupled weight decay (`w -= w * weight_decay * lr` before the update).
        clipnorm: clip each gradient to this norm.
        clipvalue: clip each gradient element to `[-clipvalue, clipvalue]`.
        global_clipnorm: clip all gradients together to this global norm.
        name: the optimizer's name.
        lr: Keras 2 name of `learning_rate`.
        decay: Keras 2 inverse-time decay: `lr / (1 + decay * iterations)`.
    """

    _ACCEPTED_KWARGS = ("lr", "decay", "use_ema", "ema_momentum", "ema_overwrite_frequency",
                        "loss_scale_factor", "gradient_accumulation_steps", "jit_compile",
                        "mesh", "is_legacy_optimizer")

    def __init__(self, learning_rate=0.001, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name=None, **kwargs):
        unknown = set(kwargs) - set(self._ACCEPTED_KWARGS)
        if unknown:
            raise TypeError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {sorted(unknown)}"
            )
        if "lr" in kwargs:
            learning_rate = kwargs.pop("lr")
        self.decay = float(kwargs.pop("decay", 0.0) or 0.0)
        if self.decay < 0:
            raise ValueError(f"`decay` must be non-negative. Received: decay={self.decay}")
        self.use_ema = bool(kwargs.pop("use_ema", False))
        self.ema_momentum = float(kwargs.pop("ema_momentum", 0.99))
        self.ema_overwrite_frequency = kwargs.pop("ema_overwrite_frequency", None)
        self.loss_scale_factor = kwargs.pop("loss_scale_factor", None)
        self.gradient_accumulation_steps = kwargs.pop("gradient_accumulation_steps", None)
        if sum(v is not None for v in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}"
            )
        self.name = name or to_snake_case(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self._iterations = 0
        self._variables = []
        self._slots = []  # every state Variable, in creation order
        self._exclude_from_wd_ids = set()
        self._exclude_from_wd_names = ()
        self.built = False
        self._set_learning_rate(learning_rate)

    # ------------------------------------------------------------------ learning rate
    def _set_learning_rate(self, value):
        from kerasish.optimizers.schedules import LearningRateSchedule

        if isinstance(value, LearningRateSchedule) or (callable(value) and not isinstance(value, (int, float, torch.Tensor))):
            self._lr_schedule = value
            self._lr_var = None
            return
        if isinstance(value, torch.Tensor):
            value = float(value.detach())
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError(
                "`learning_rate` must be a float, a LearningRateSchedule or a callable. "
                f"Received: learning_rate={value!r}"
            ) from None
        self._lr_schedule = None
        if getattr(self, "_lr_var", None) is not None:
            self._lr_var.assign(value)
        else:
            self._lr_var = Variable(value, dtype="float32", trainable=False, name="learning_rate")

    @property
    def learning_rate(self):
        """The learning rate: a `Variable` (assignable), or the schedule's current value."""
        if self._lr_schedule is not None:
            return self._current_base_lr()
        return self._lr_var

    @learning_rate.setter
    def learning_rate(self, value):
        self._set_learning_rate(value)

    lr = learning_rate  # Keras 2 name

    @property
    def iterations(self):
        """The number of update steps applied so far (a read-only snapshot `Variable`)."""
        v = Variable(self._iterations, dtype="int64", trainable=False, name="iteration")
        return v

    @iterations.setter
    def iterations(self, value):
        self._iterations = int(value)

    def _current_base_lr(self):
        if self._lr_schedule is None:
            # A 0-d CPU tensor: reading it is not a device sync.
            return float(self._lr_var)
        sched = self._lr_schedule
        from kerasish.optimizers.schedules import LearningRateSchedule

        value = sched(self._iterations) if isinstance(sched, LearningRateSchedule) else sched()
        return float(value)

    def _current_lr(self):
        lr = self._current_base_lr()
        if self.decay:
            lr = lr / (1.0 + self.decay * self._iterations)
        return lr

    # ------------------------------------------------------------------ state
    @property
    def variables(self):
        return list(self._slots)

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A state tensor shaped like `reference_variable` (on its device)."""
        if initializer == "zeros":
            value = torch.zeros_like(reference_variable, memory_format=torch.preserve_format)
        elif initializer == "ones":
            value = torch.ones_like(reference_variable, memory_format=torch.preserve_format)
        elif isinstance(initializer, (int, float)):
            value = torch.full_like(reference_variable, float(initializer))
        else:
            from kerasish import initializers

            value = initializers.get(initializer)(tuple(reference_variable.shape),
                                                  dtype=reference_variable.dtype).to(reference_variable.device)
        var = Variable(value.detach(), trainable=False,
                       name=f"{getattr(reference_variable, '_keras_name', 'variable')}_{name}")
        var._keras_layout = getattr(reference_variable, "_keras_layout", None)
        self._slots.append(var)
        return var

    def build(self, variables):
        """Creates per-variable state. Subclasses call `super().build(variables)` first."""
        self._variables = list(variables)
        self._slots = []
        self.built = True

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        self._exclude_from_wd_ids |= {id(v) for v in (var_list or [])}
        self._exclude_from_wd_names = tuple(var_names or ())

    def _use_weight_decay(self, variable):
        if id(variable) in self._exclude_from_wd_ids:
            return False
        name = getattr(variable, "path", "") or ""
        return not any(n in name for n in self._exclude_from_wd_names)

    # ------------------------------------------------------------------ the pipeline
    def apply_gradients(self, grads_and_vars):
        """Applies `[(grad, variable), ...]` (Keras's API)."""
        grads_and_vars = list(grads_and_vars)
        grads = [g for g, _ in grads_and_vars]
        variables = [v for _, v in grads_and_vars]
        return self.apply(grads, variables)

    def apply(self, grads, trainable_variables=None):
        """Applies one update. `trainable_variables` builds the optimizer on first use."""
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be built "
                    "on a list of variables. Call `optimizer.build(trainable_variables)` first."
                )
            trainable_variables = self._variables
        trainable_variables = list(trainable_variables)
        if not self.built:
            self.build(trainable_variables)
        elif len(trainable_variables) != len(self._variables) or any(
            a is not b for a, b in zip(trainable_variables, self._variables)
        ):
            self._rebuild_for(trainable_variables)
        with torch.no_grad():
            self._apply(list(grads))

    def step(self):
        """Applies one update from the `.grad` of the variables the optimizer was built on."""
        with torch.no_grad():
            self._apply([p.grad for p in self._variables])

    def _rebuild_for(self, variables):
        """Keeps state for known variables, creates it for new ones (after `trainable` changes)."""
        self.build(variables)

    def _apply(self, grads):
        pairs = [(g, i) for i, g in enumerate(grads) if g is not None]
        if not pairs:
            return
        if len(pairs) == len(self._variables):
            idx = None
            grads_list = grads
        else:
            idx = [i for _, i in pairs]
            grads_list = [g for g, _ in pairs]
        params = self._variables if idx is None else [self._variables[i] for i in idx]
        grads_list = self._clip_gradients(grads_list)
        lr = self._current_lr()
        self._apply_weight_decay(params, lr)
        self.update_step(params, grads_list, lr, idx)
        self._apply_constraints(params)
        self._iterations += 1

    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            norms = torch._foreach_norm(grads)
            scale = [torch.clamp(self.clipnorm / torch.clamp(n, min=1e-12), max=1.0) for n in norms]
            return torch._foreach_mul(grads, scale)
        if self.global_clipnorm and self.global_clipnorm > 0:
            norms = torch._foreach_norm(grads)
            total = torch.linalg.vector_norm(torch.stack(norms))
            scale = self.global_clipnorm / torch.maximum(total, torch.tensor(self.global_clipnorm,
                                                                              device=total.device))
            return torch._foreach_mul(grads, scale)
        if self.clipvalue and self.clipvalue > 0:
            v = self.clipvalue
            return [torch.clamp(g, -v, v) for g in grads]
        return grads

    def _apply_weight_decay(self, params, lr):
        if not self.weight_decay:
            return
        decayed = [p for p in params if self._use_weight_decay(p)]
        if decayed:
            torch._foreach_mul_(decayed, 1.0 - self.weight_decay * lr)

    def _apply_constraints(self, params):
        for p in params:
            constraint = getattr(p, "_keras_constraint", None)
            if constraint is not None:
                layouts.assign_keras_value(p, constraint(layouts.to_keras(p)))

    def update_step(self, params, grads, lr, indices=None):
        """Updates `params` in place from `grads`. `indices` maps them to the built variables
        (None when all variables have gradients), to pick the matching state."""
        raise NotImplementedError

    def _state(self, slots, indices):
        return slots if indices is None else [slots[i] for i in indices]

    # ------------------------------------------------------------------ config
    def get_config(self):
        lr = self._lr_schedule
        if lr is None:
            lr = float(self._lr_var)
        elif hasattr(lr, "get_config"):
            from kerasish.optimizers import schedules

            lr = schedules.serialize(lr)
        config = {
            "name": self.name,
            "learning_rate": lr,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }
        if self.decay:
            config["decay"] = self.decay
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        lr = config.get("learning_rate", config.get("lr"))
        if isinstance(lr, dict):
            from kerasish.optimizers import schedules

            config["learning_rate"] = schedules.deserialize(lr, custom_objects)
            config.pop("lr", None)
        config.pop("is_legacy_optimizer", None)
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, learning_rate={self._current_base_lr():g}>"


def _sqrt(x):
    return math.sqrt(x)
