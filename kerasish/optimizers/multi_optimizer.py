"""`MultiOptimizer` and `OptimizerMap` (Keras 3.15): a different optimizer per variable, chosen by
a callable or by regular expressions over variable paths."""

import re
from collections.abc import MutableMapping

import numpy as np

from kerasish.optimizers.optimizer import Optimizer


def _check_inner(optimizer, what):
    from kerasish.mixed_precision.loss_scale_optimizer import LossScaleOptimizer

    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{what} must be a kerasish Optimizer instance. Received: optimizer={optimizer!r}")
    if isinstance(optimizer, (LossScaleOptimizer, MultiOptimizer)):
        raise ValueError(f"{what} cannot be a {type(optimizer).__name__}. Received: optimizer={optimizer!r}")


class OptimizerMap(MutableMapping):
    """Maps variable-path patterns to optimizers, with a default for unmatched variables.

    A key matches a variable when it equals its `path` or `re.fullmatch`es it; two matching
    patterns are an error.

    Args:
        default_optimizer: the optimizer of variables no pattern matches.
        optimizer_map: a dict `{pattern: optimizer}`.

    Example:

    ```python
    opt_map = kerasish.optimizers.OptimizerMap(
        kerasish.optimizers.AdamW(), {".*embeddings": kerasish.optimizers.SGD(0.1)})
    model.compile(optimizer=kerasish.optimizers.MultiOptimizer(opt_map), loss="mse")
    ```
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError("`default_optimizer` must be a kerasish Optimizer instance. "
                            f"Received: default_optimizer={default_optimizer!r}")
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(f"`optimizer_map` must be a dict. Received: optimizer_map={optimizer_map!r}")
        self._default_optimizer = default_optimizer
        self._optimizer_map = {}
        for key, optimizer in (optimizer_map or {}).items():
            self[key] = optimizer

    @property
    def default_optimizer(self):
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matching = [p for p in self._optimizer_map if re.fullmatch(p, key)]
        if len(matching) > 1:
            raise ValueError(f"Several patterns match variable '{key}': {matching}. Received: key={key!r}")
        return self._optimizer_map[matching[0]] if matching else self._default_optimizer

    def __setitem__(self, key, optimizer):
        if not isinstance(key, str):
            raise ValueError(f"An OptimizerMap key must be a string. Received: key={key!r}")
        if key in self._optimizer_map:
            raise ValueError(f"'{key}' is already in the OptimizerMap. Received: key={key!r}")
        _check_inner(optimizer, "An OptimizerMap value")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        return self[variable.path]

    def get_config(self):
        from kerasish.optimizers import serialize

        return {"default_optimizer": serialize(self._default_optimizer),
                "optimizer_map": {k: serialize(v) for k, v in self._optimizer_map.items()}}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerasish.optimizers import deserialize

        return cls(deserialize(config["default_optimizer"], custom_objects),
                   {k: deserialize(v, custom_objects) for k, v in config["optimizer_map"].items()})


class MultiOptimizer(Optimizer):
    """Applies a different optimizer to each group of variables.

    Args:
        optimizer_map: an `OptimizerMap`, or a callable `variable -> optimizer`.
        loss_scale_factor: passed on to every inner optimizer.
        name: the optimizer's name.

    The learning rate belongs to the inner optimizers: reading or setting it here raises
    `AttributeError` (so `ReduceLROnPlateau`/`LearningRateScheduler` need an inner optimizer).

    Example:

    ```python
    dense_opt, head_opt = kerasish.optimizers.Adam(1e-3), kerasish.optimizers.SGD(1e-2)
    opt = kerasish.optimizers.MultiOptimizer(
        lambda v: head_opt if v.path.startswith("head/") else dense_opt)
    ```
    """

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        if not callable(optimizer_map):
            raise TypeError("`optimizer_map` must be an OptimizerMap or a callable "
                            f"`variable -> optimizer`. Received: optimizer_map={optimizer_map!r}")
        self._inner_optimizers = []
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        known = list(getattr(optimizer_map, "values", lambda: [])())
        default = getattr(optimizer_map, "default_optimizer", None)
        for opt in known + ([default] if default is not None else []):
            self._add_inner(opt)

    def _add_inner(self, opt):
        if not any(opt is o for o in self._inner_optimizers):
            opt.loss_scale_factor = self.loss_scale_factor
            self._inner_optimizers.append(opt)
        return next(i for i, o in enumerate(self._inner_optimizers) if o is opt)

    @property
    def optimizers(self):
        """The inner optimizers."""
        return self._inner_optimizers

    @property
    def loss_scale_factor(self):
        return getattr(self, "_loss_scale_factor", None)

    @loss_scale_factor.setter
    def loss_scale_factor(self, value):
        self._loss_scale_factor = value
        for opt in getattr(self, "_inner_optimizers", []):
            opt.loss_scale_factor = value

    @property
    def learning_rate(self):
        raise AttributeError("A MultiOptimizer has no learning rate: use those of its inner "
                             "optimizers (`optimizer.optimizers`).")

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError("A MultiOptimizer has no learning rate: set those of its inner "
                             f"optimizers (`optimizer.optimizers`). Received: learning_rate={value!r}")

    lr = learning_rate

    def _partition(self, variables):
        groups = [[] for _ in self._inner_optimizers]
        owner = []
        for var in variables:
            opt = self._optimizer_map(var)
            _check_inner(opt, f"The optimizer of variable '{getattr(var, 'path', var)}'")
            idx = self._add_inner(opt)
            groups.extend([] for _ in range(len(self._inner_optimizers) - len(groups)))
            groups[idx].append(var)
            owner.append(idx)
        return groups, owner

    def build(self, variables):
        variables = list(variables)
        groups, self._owner = self._partition(variables)
        for opt, group in zip(self._inner_optimizers, groups):
            if group:
                opt.build(group)
        super().build(variables)

    def _rebuild_for(self, variables):
        variables = list(variables)
        groups, self._owner = self._partition(variables)
        for opt, group in zip(self._inner_optimizers, groups):
            if group:
                (opt._rebuild_for if opt.built else opt.build)(group)
        Optimizer.build(self, variables)

    def _follow_variables(self):
        for opt in self._inner_optimizers:
            if opt.built:
                opt._follow_variables()

    @property
    def variables(self):
        return [v for opt in self._inner_optimizers for v in opt.variables]

    def apply(self, grads, trainable_variables=None):
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError("When passing `grads` without `variables`, the optimizer must "
                                 "already be built. Call `optimizer.build(trainable_variables)` first. "
                                 f"Received: len(grads)={len(grads)}")
            trainable_variables = self._variables
        trainable_variables = list(trainable_variables)
        if not self.built:
            self.build(trainable_variables)
        if len(grads) != len(self._variables):
            raise ValueError("Gradients must match the trainable variables one to one. Received: "
                             f"len(grads)={len(grads)} for {len(self._variables)} variables")
        index = {id(v): i for i, v in enumerate(self._variables)}
        split = [([], []) for _ in self._inner_optimizers]
        for grad, var in zip(grads, trainable_variables):
            if id(var) not in index:
                raise ValueError("This optimizer can only update the variables it was built with. "
                                 f"Received: unknown variable={getattr(var, 'path', var)!r}")
            g, v = split[self._owner[index[id(var)]]]
            g.append(grad)
            v.append(var)
        for opt, (g, v) in zip(self._inner_optimizers, split):
            if v and any(x is not None for x in g):
                opt.apply(g, v)
        self._iterations += 1

    def step(self):
        self.apply([p.grad for p in self._variables])

    def finalize_variable_values(self, var_list):
        groups, _ = self._partition(list(var_list))
        for opt, group in zip(self._inner_optimizers, groups):
            if group:
                opt.finalize_variable_values(group)

    def _state_values(self):
        own = [np.asarray(self._iterations, dtype="int64"), np.asarray(0.0, dtype="float32")]
        return own + [v for opt in self._inner_optimizers for v in opt._state_values()]

    def load_own_variables(self, store):
        values = [np.asarray(store[str(i)]) for i in range(len(store.keys()))]
        if len(values) != len(self._state_values()):
            raise ValueError(f"The saved state of MultiOptimizer '{self.name}' has {len(values)} "
                             f"values; this one has {len(self._state_values())}. Received: "
                             f"len(store)={len(values)}")
        self._iterations = int(values[0])
        k = 2
        for opt in self._inner_optimizers:
            n = len(opt._state_values())
            opt.load_own_variables({str(j): values[k + j] for j in range(n)})
            k += n

    def get_config(self):
        if not isinstance(self._optimizer_map, OptimizerMap):
            raise ValueError("Only a MultiOptimizer built on an OptimizerMap can be serialized; a "
                             f"callable cannot. Received: optimizer_map={self._optimizer_map!r}")
        return {"optimizer_map": {"module": "keras.optimizers", "class_name": "OptimizerMap",
                                  "config": self._optimizer_map.get_config(), "registered_name": None},
                "loss_scale_factor": self.loss_scale_factor, "name": self.name}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        opt_map = config["optimizer_map"]
        if isinstance(opt_map, dict) and opt_map.get("class_name") == "OptimizerMap":
            config["optimizer_map"] = OptimizerMap.from_config(opt_map["config"], custom_objects)
        return cls(**config)
