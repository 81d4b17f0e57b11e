"""`Optimizer` base class: Keras's update pipeline on torch's multi-tensor kernels.

The base class owns the pipeline — drop missing gradients, unscale (`loss_scale_factor`), accumulate
(`gradient_accumulation_steps`), clip (`clipnorm`, `clipvalue`, `global_clipnorm`), weight decay, the
subclass's `update_step`, the moving average of the weights (`use_ema`), constraints,
`iterations += 1` — and the learning rate (a float, a schedule or a callable; Keras 2's `lr` and
`decay` keep their Keras 2 meaning).

Keras 2 and Keras 3 differ in a few update rules (epsilon's place in RMSprop and Adagrad, Nadam's
momentum schedule). An optimizer follows Keras 2's rules (`self._keras2`) when the script speaks
Keras 2 — `lr=` or `decay=` given, or a saved Keras 2 config (`decay`, `lr`,
`is_legacy_optimizer: true`) — and always when it comes from `kerasish.optimizers.legacy`
(tf.keras 2.11+'s `tf.keras.optimizers.legacy`).

A subclass writes `build`, `update_step` and `get_config`; its `update_step` receives lists of
parameters and gradients and updates them with `torch._foreach_*`.

Host-side numbers (the step count, the learning rate, bias corrections) are Python floats, so an
update issues device kernels only and never waits for the device.
"""

import numpy as np
import torch

from kerasish.backend import config as backend_config
from kerasish.backend import layouts
from kerasish.backend.variables import Variable
from kerasish.optimizers import _pipeline
from kerasish.utils.naming import auto_name

# Keras 2 / Keras 3 keyword arguments accepted by every optimizer besides the named ones.
_EXTRA_KWARGS = ("lr", "decay", "jit_compile", "mesh", "is_legacy_optimizer")


def speaks_keras2(kwargs):
    """Whether an optimizer's keyword arguments are Keras 2's (`lr`, `decay`, a legacy config)."""
    return (kwargs.get("lr") is not None or kwargs.get("decay") is not None
            or bool(kwargs.get("is_legacy_optimizer")))


class Optimizer:
    """Base class of optimizers.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a zero-argument callable.
        weight_decay: decoupled weight decay (`w -= w * weight_decay * lr` before the update).
        clipnorm: clip each gradient to this norm.
        clipvalue: clip each gradient element to `[-clipvalue, clipvalue]`.
        global_clipnorm: clip all gradients together to this global norm.
        use_ema: keep an exponential moving average of the weights (written into the model at the
            end of `fit()`, or every `ema_overwrite_frequency` steps).
        ema_momentum: the moving average's momentum. Defaults to `0.99`.
        ema_overwrite_frequency: overwrite the weights with their average every this many steps.
        loss_scale_factor: the loss is multiplied by this before `backward()` (`scale_loss`) and the
            gradients divided by it before the update.
        gradient_accumulation_steps: update every this many steps with the mean gradient.
        name: the optimizer's name.
        lr: Keras 2 name of `learning_rate`. Giving it selects Keras 2's update rules.
        decay: Keras 2 inverse-time decay applied per step: `lr / (1 + decay * iterations)`.
            Giving it (even `0.0`) selects Keras 2's update rules.
        is_legacy_optimizer: `True` selects Keras 2's update rules (tf.keras's saved configs carry
            it).

    Example:

    ```python
    import torch, kerasish
    w = kerasish.Variable(torch.ones(3))
    opt = kerasish.optimizers.SGD(learning_rate=0.1)
    opt.apply([torch.full((3,), 2.0)], [w])   # w is now 0.8
    ```
    """

    # `kerasish.optimizers.legacy` classes set it: Keras 2's rules whatever the arguments.
    _legacy_rules = False

    def __init__(self, learning_rate=0.001, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        unknown = sorted(set(kwargs) - set(_EXTRA_KWARGS))
        if unknown:
            raise TypeError(f"Argument(s) not recognized by {type(self).__name__}. "
                            f"Received: {', '.join(f'{k}={kwargs[k]!r}' for k in unknown)}")
        if kwargs.get("lr") is not None:
            learning_rate = kwargs["lr"]
        decay = kwargs.get("decay") or 0.0
        if not isinstance(decay, (int, float)) or decay < 0:
            raise ValueError(f"`decay` must be a non-negative float. Received: decay={decay!r}")
        _pipeline.check_args(clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
                             ema_overwrite_frequency, gradient_accumulation_steps, weight_decay)
        self.name = name or auto_name(self)
        self._keras2 = self._legacy_rules or speaks_keras2(kwargs)
        self.decay = float(decay)
        self.weight_decay = weight_decay
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self.use_ema, self.ema_momentum = bool(use_ema), ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self._iterations = 0
        self._variables = []
        self._overwritten = False  # some variable has `overwrite_with_gradient` (see build)
        self._slots = []
        self._slot_groups = []
        self._exclude_from_wd_ids = set()
        self._exclude_from_wd_names = ()
        self.built = False
        self._lr_var = None
        self._lr_schedule = None
        self._set_learning_rate(learning_rate)

    def _epsilon(self, value):
        """Keras 2's `epsilon=None` means the backend's fuzz factor (`K.epsilon()`); its legacy
        optimizers also replace `0` by it (`epsilon or K.epsilon()`)."""
        if value is None or (self._keras2 and not value):
            return backend_config.epsilon()
        return float(value)

    # ------------------------------------------------------------------ learning rate
    def _set_learning_rate(self, value):
        from kerasish.optimizers.schedules import LearningRateSchedule

        if isinstance(value, LearningRateSchedule) or (
                callable(value) and not isinstance(value, (int, float, torch.Tensor, np.ndarray))):
            self._lr_schedule = value
            return
        if self._lr_schedule is not None and isinstance(self._lr_schedule, LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule`, so its learning rate "
                "cannot be set to a number; create the optimizer with a float `learning_rate` "
                f"instead. Received: learning_rate={value!r}")
        if isinstance(value, torch.Tensor):
            value = value.detach().cpu()
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError("`learning_rate` must be a float, a LearningRateSchedule or a "
                             f"callable. Received: learning_rate={value!r}") from None
        self._lr_schedule = None
        if self._lr_var is not None:
            self._lr_var.assign(value)
        else:
            self._lr_var = Variable(value, dtype="float32", trainable=False, name="learning_rate")

    @property
    def learning_rate(self):
        """The learning rate: an assignable `Variable`, or the schedule's current value.

        `K.set_value(opt.learning_rate, 0.01)` and `opt.learning_rate = 0.01` both take effect at
        the next step.
        """
        if self._lr_schedule is not None:
            return self._current_base_lr()
        return self._lr_var

    @learning_rate.setter
    def learning_rate(self, value):
        self._set_learning_rate(value)

    lr = learning_rate  # Keras 2 name

    @property
    def iterations(self):
        """The number of updates applied so far, as a snapshot `Variable` (Keras counts whole
        accumulation cycles when `gradient_accumulation_steps` is set)."""
        return Variable(self._update_count(), dtype="int64", trainable=False, name="iteration")

    @iterations.setter
    def iterations(self, value):
        self._iterations = int(np.asarray(value.detach().cpu() if isinstance(value, torch.Tensor)
                                          else value))

    def _update_count(self):
        steps = self.gradient_accumulation_steps
        return self._iterations // steps if steps else self._iterations

    def _current_base_lr(self):
        if self._lr_schedule is None:
            # A 0-d CPU tensor: reading it does not wait for an accelerator.
            return float(self._lr_var)
        from kerasish.optimizers.schedules import LearningRateSchedule

        sched = self._lr_schedule
        value = sched(self._iterations) if isinstance(sched, LearningRateSchedule) else sched()
        if isinstance(value, torch.Tensor):
            value = value.detach().cpu()
        return float(value)

    def _current_lr(self):
        lr = self._current_base_lr()
        if self.decay:
            lr = lr / (1.0 + self.decay * self._iterations)
        return lr

    # ------------------------------------------------------------------ state
    @property
    def variables(self):
        """The optimizer's state variables (moments, accumulators, ...), in Keras's order."""
        return list(self._slots)

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A state `Variable` shaped like `reference_variable`, on its device."""
        value = _initial_value(reference_variable, initializer)
        ref_name = getattr(reference_variable, "path", None) or getattr(
            reference_variable, "_keras_name", "variable")
        var = Variable(value, trainable=False, name=f"{ref_name.replace('/', '_')}_{name or 'var'}")
        var._keras_layout = getattr(reference_variable, "_keras_layout", None)
        spec = getattr(reference_variable, "_dist_spec", None)
        if spec is not None:
            var._dist_spec = spec  # a slot of a variable split across processes is split alike
        return var

    def add_optimizer_variables(self, variables, name, initializer="zeros"):
        """One state variable per model variable for each name in `name` (a string or a list).

        Returns a list (one name) or a tuple of lists. The lists are remembered so that
        `_rebuild_for` can carry state over to a new variable list.
        """
        names = [name] if isinstance(name, str) else list(name)
        inits = initializer if isinstance(initializer, (list, tuple)) else [initializer] * len(names)
        lists = tuple([self.add_variable_from_reference(v, n, i) for v in variables]
                      for n, i in zip(names, inits))
        self._slot_groups.append(list(zip(names, lists)))
        self._collect_slots()
        return lists[0] if isinstance(name, str) else lists

    def _collect_slots(self):
        # Keras interleaves a group's slots per variable (m0, v0, m1, v1, ...); saved files use it.
        # A `None` entry is a slot that variable does not have (Adafactor's factored moments of a
        # vector, Muon's velocity of a matrix): Keras creates none for it either.
        self._slots = [lst[j] for group in self._slot_groups for j in range(len(self._variables))
                       for _, lst in group if lst[j] is not None]

    def add_slot_group(self, named_lists):
        """Registers `[(name, [slot or None per variable]), ...]` made by a subclass's `build`;
        the slots join `variables` in Keras's order, interleaved per variable."""
        self._slot_groups.append(list(named_lists))
        self._collect_slots()

    def build(self, variables):
        """Creates per-variable state. Subclasses call `super().build(variables)` first."""
        self._variables = list(variables)
        self._overwritten = any(getattr(v, "overwrite_with_gradient", False) for v in variables)
        if self._overwritten and self.gradient_accumulation_steps:
            raise ValueError(
                "Variables with `overwrite_with_gradient=True` are not supported together with "
                "`gradient_accumulation_steps` in kerasish. Received: gradient_accumulation_steps="
                f"{self.gradient_accumulation_steps}")
        self._slots, self._slot_groups = [], []
        self._ema_averages = (self.add_optimizer_variables(self._variables, "average")
                              if self.use_ema else [])
        self._accumulated_gradients = (
            self.add_optimizer_variables(self._variables, "gradient_accumulator")
            if self.gradient_accumulation_steps else [])
        self.built = True

    def _rebuild_for(self, variables):
        """Builds for a new variable list, keeping the state of the variables already known (after
        `layer.trainable` changes and the model is compiled again)."""
        old_index = {id(v): i for i, v in enumerate(self._variables)}
        old_lists = {name: lst for group in self._slot_groups for name, lst in group}
        host_state = self._host_state()
        self.build(variables)
        for group in self._slot_groups:
            for name, new_list in group:
                old_list = old_lists.get(name)
                for j, v in enumerate(self._variables):
                    i = old_index.get(id(v))
                    if old_list is not None and i is not None and old_list[i] is not None \
                            and new_list[j] is not None and old_list[i].shape == new_list[j].shape:
                        new_list[j] = old_list[i]
        self._collect_slots()
        self._set_host_state(host_state)

    def _follow_variables(self):
        """Moves each state variable to the device of the model variable it belongs to.

        Called when the model moves (`model.to(device)`, `model.cuda()`): torch moves the model's
        parameters in place, and the optimizer's state must go with them.
        """
        for group in self._slot_groups:
            for _, slots in group:
                for slot, var in zip(slots, self._variables):
                    if slot is not None and slot.device != var.device:
                        slot.data = slot.data.to(var.device)

    def _host_state(self):
        """Scalar state kept on the host (Nadam's momentum cache); saved after the slots."""
        return []

    def _set_host_state(self, values):
        pass

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Excludes variables (by object, or by a substring of their name) from weight decay."""
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be called before the optimizer "
                             f"is built. Received: optimizer={self.name!r} (built)")
        self._exclude_from_wd_ids = {id(v) for v in (var_list or [])}
        self._exclude_from_wd_names = tuple(var_names or ())

    def _use_weight_decay(self, variable):
        if id(variable) in self._exclude_from_wd_ids:
            return False
        name = getattr(variable, "name", "") or ""
        return not any(n in name for n in self._exclude_from_wd_names)

    # ------------------------------------------------------------------ the pipeline
    def apply_gradients(self, grads_and_vars):
        """Applies `[(grad, variable), ...]` (Keras's API); returns `iterations`."""
        grads_and_vars = list(grads_and_vars)
        self.apply([g for g, _ in grads_and_vars], [v for _, v in grads_and_vars])
        return self.iterations

    def apply(self, grads, trainable_variables=None):
        """Applies one update. `trainable_variables` builds the optimizer on first use; later they
        must be (a subset of) the variables it was built on."""
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be built "
                    "on a list of variables. Call `optimizer.build(trainable_variables)` first. "
                    f"Received: len(grads)={len(grads)}")
            if len(grads) != len(self._variables):
                raise ValueError(f"Expected one gradient per variable ({len(self._variables)}). "
                                 f"Received: len(grads)={len(grads)}")
            indices = None
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                self.build(trainable_variables)
            indices = self._indices_of(trainable_variables)
        with torch.no_grad():
            self._apply(grads, indices)

    def _indices_of(self, variables):
        if len(variables) == len(self._variables) and all(
                a is b for a, b in zip(variables, self._variables)):
            return None
        known = {id(v): i for i, v in enumerate(self._variables)}
        unknown = [getattr(v, "path", "?") for v in variables if id(v) not in known]
        if unknown:
            raise ValueError(
                "This optimizer can only update the variables it was built with; create a new "
                f"optimizer for a new set of variables. Received: unknown variables={unknown}")
        return [known[id(v)] for v in variables]

    def step(self):
        """Applies one update from the `.grad` of the variables the optimizer was built on."""
        with torch.no_grad():
            self._apply([p.grad for p in self._variables], None)

    def scale_loss(self, loss):
        """Multiplies the loss by `loss_scale_factor` (when set) before `backward()`."""
        return loss if self.loss_scale_factor is None else loss * self.loss_scale_factor

    def _apply(self, grads, indices):
        indices = list(range(len(grads))) if indices is None else indices
        kept = [k for k, g in enumerate(grads) if g is not None]
        if not kept:
            raise ValueError("No gradients provided for any variable. Received: grads=[None, ...]")
        if len(kept) == len(self._variables) and indices == list(range(len(self._variables))):
            idx = None
        else:
            idx = [indices[k] for k in kept]
            grads = [grads[k] for k in kept]
        params = self._variables if idx is None else [self._variables[i] for i in idx]
        if self._overwritten:
            params, grads, idx = _overwrite_with_gradients(self, params, grads, idx)
            if not params:
                self._iterations += 1
                return
        if self.loss_scale_factor is not None:
            grads = torch._foreach_div(grads, float(self.loss_scale_factor))
        steps = self.gradient_accumulation_steps
        if steps:
            _pipeline.accumulate_or_update(self, params, grads, idx, steps)
        else:
            self._update(params, grads, idx)
        if self.use_ema:
            _pipeline.update_ema(self)
        self._apply_constraints(params)
        self._iterations += 1

    def _update(self, params, grads, idx):
        grads = _pipeline.clip_gradients(grads, self.clipnorm, self.clipvalue, self.global_clipnorm)
        lr = self._current_lr()
        self._apply_weight_decay(params, lr)
        self.update_step(params, grads, lr, idx)

    def _apply_weight_decay(self, params, lr):
        if self.weight_decay is None:
            return
        decayed = [p for p in params if self._use_weight_decay(p)]
        if decayed:
            torch._foreach_mul_(decayed, 1.0 - float(self.weight_decay) * lr)

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

    def finalize_variable_values(self, var_list):
        """Called at the end of `fit()`: with `use_ema`, writes the moving averages into the
        model's variables."""
        if self.use_ema and self.built:
            _pipeline.overwrite_with_averages(self, list(var_list))

    # ------------------------------------------------------------------ saving
    def save_own_variables(self, store):
        """Writes the state in Keras's order: iteration, learning rate, slots, host scalars."""
        for i, value in enumerate(self._state_values()):
            store[str(i)] = value

    def load_own_variables(self, store):
        _pipeline.load_state(self, store)

    def _state_values(self):
        values = [np.asarray(self._iterations, dtype="int64")]
        if self._lr_var is not None and self._lr_schedule is None:
            values.append(self._lr_var.numpy())
        values += [v.numpy() for v in self._slots]
        values += [np.asarray(x, dtype="float32") for x in self._host_state()]
        return values

    # ------------------------------------------------------------------ config
    def get_config(self):
        lr = self._lr_schedule
        if lr is None:
            lr = float(self._lr_var)
        elif hasattr(lr, "get_config"):
            from kerasish.optimizers import schedules

            lr = schedules.serialize(lr)
        config = {
            "name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue, "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }
        if self.decay or self._keras2:
            # As tf.keras's legacy optimizers, which always save it; it keeps Keras 2's rules when
            # kerasish loads the config (Keras 3 loads it too, ignoring `decay` with a warning).
            config["decay"] = self.decay
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if "lr" in config:
            config.setdefault("learning_rate", config.pop("lr"))
        if isinstance(config.get("learning_rate"), dict):
            from kerasish.optimizers import schedules

            config["learning_rate"] = schedules.deserialize(config["learning_rate"], custom_objects)
        if not config.get("is_legacy_optimizer", True):
            config.pop("is_legacy_optimizer")  # tf.keras 2.11+'s new optimizers: Keras 3's rules
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, learning_rate={self._current_base_lr():g}>"


def _overwrite_with_gradients(opt, params, grads, idx):
    """Keras 3: a variable with `overwrite_with_gradient` takes its (still loss-scaled) gradient
    as its new value and leaves the update; returns the remaining (params, grads, indices)."""
    idx = list(range(len(params))) if idx is None else idx
    keep = []
    for k, (p, g) in enumerate(zip(params, grads)):
        if getattr(p, "overwrite_with_gradient", False):
            p.copy_(g)
        else:
            keep.append(k)
    if len(keep) == len(params):
        return params, grads, (None if idx == list(range(len(opt._variables))) else idx)
    return [params[k] for k in keep], [grads[k] for k in keep], [idx[k] for k in keep]


def _initial_value(reference, initializer):
    if initializer == "zeros":
        return torch.zeros_like(reference, memory_format=torch.preserve_format).detach()
    if initializer == "ones":
        return torch.ones_like(reference, memory_format=torch.preserve_format).detach()
    if isinstance(initializer, (int, float)):
        return torch.full_like(reference, float(initializer)).detach()
    from kerasish import initializers

    value = initializers.get(initializer)(tuple(reference.shape), dtype=reference.dtype)
    return torch.as_tensor(value).to(reference.device)
