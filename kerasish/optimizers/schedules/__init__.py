"""`kerasish.optimizers.schedules`: learning-rate schedules, `schedule(step) -> learning rate`.

Values are computed on the host, in Python floats, from the integer step the optimizer keeps on the
host, so a schedule issues no device op and never waits for the device. The formulas and defaults
are Keras's.
"""

import math

import torch

from kerasish.saving.registry import Registry


def _step(step):
    if isinstance(step, torch.Tensor):
        step = step.detach().cpu()
    return float(step)


def _check_positive(arg, value):
    if not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(f"Argument `{arg}` must be > 0. Received: {arg}={value!r}")


class LearningRateSchedule:
    """Base class: `__call__(step)` returns the learning rate for optimizer step `step`.

    Example:

    ```python
    import kerasish

    class Halving(kerasish.optimizers.schedules.LearningRateSchedule):
        def __call__(self, step):
            return 0.1 * 0.5 ** (step // 100)

        def get_config(self):
            return {}

    opt = kerasish.optimizers.SGD(learning_rate=Halving())
    ```
    """

    def __call__(self, step):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override "
                                  "`__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override "
                                  "`get_config()` to be serialized.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class ExponentialDecay(LearningRateSchedule):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)` (the exponent floored when
    `staircase`).

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: steps per decay period (> 0).
        decay_rate: the factor per period.
        staircase: decay in discrete intervals. Defaults to `False`.
        name: defaults to `"ExponentialDecay"`.

    Example:

    ```python
    import kerasish
    s = kerasish.optimizers.schedules.ExponentialDecay(0.1, decay_steps=1000, decay_rate=0.96)
    s(1000)  # 0.096
    ```
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps, self.decay_rate = decay_steps, decay_rate
        self.staircase, self.name = staircase, name

    def __call__(self, step):
        p = _step(step) / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return self.initial_learning_rate * self.decay_rate ** p

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    """`values[0]` while `step <= boundaries[0]`, `values[1]` while `step <= boundaries[1]`, ...,
    `values[-1]` after the last boundary.

    Args:
        boundaries: increasing step numbers.
        values: one more value than boundaries.
        name: defaults to `"PiecewiseConstant"`.

    Example:

    ```python
    import kerasish
    s = kerasish.optimizers.schedules.PiecewiseConstantDecay([100, 200], [1.0, 0.5, 0.1])
    s(150)  # 0.5
    ```
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. Received: "
                f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of "
                f"length {len(values)}.")
        self.boundaries, self.values, self.name = boundaries, values, name

    def __call__(self, step):
        step = _step(step)
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return value
        return self.values[-1]

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """From `initial_learning_rate` to `end_learning_rate` over `decay_steps` along
    `(1 - step / decay_steps) ** power`; with `cycle`, restarts with a longer period.

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: length of the decay (> 0).
        end_learning_rate: defaults to `0.0001`.
        power: defaults to `1.0` (linear).
        cycle: continue past `decay_steps` with multiples of it. Defaults to `False`.
        name: defaults to `"PolynomialDecay"`.

    Example:

    ```python
    import kerasish
    s = kerasish.optimizers.schedules.PolynomialDecay(0.1, decay_steps=100, end_learning_rate=0.0)
    s(50)  # 0.05
    ```
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.end_learning_rate, self.power = end_learning_rate, power
        self.cycle, self.name = cycle, name

    def __call__(self, step):
        step = _step(step)
        decay_steps = float(self.decay_steps)
        if self.cycle:
            decay_steps *= 1.0 if step == 0 else math.ceil(step / self.decay_steps)
        else:
            step = min(step, decay_steps)
        p = step / decay_steps
        return ((self.initial_learning_rate - self.end_learning_rate) * (1.0 - p) ** self.power
                + self.end_learning_rate)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power,
                "cycle": self.cycle, "name": self.name}


class InverseTimeDecay(LearningRateSchedule):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)` (the ratio floored when
    `staircase`).

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: steps per decay period (> 0).
        decay_rate: the decay rate.
        staircase: decay in discrete intervals. Defaults to `False`.
        name: defaults to `"InverseTimeDecay"`.

    Example:

    ```python
    import kerasish
    s = kerasish.optimizers.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5)
    s(2)  # 0.05
    ```
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="InverseTimeDecay"):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps, self.decay_rate = decay_steps, decay_rate
        self.staircase, self.name = staircase, name

    def __call__(self, step):
        p = _step(step) / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return self.initial_learning_rate / (1.0 + self.decay_rate * p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


def _cosine(fraction):
    return 0.5 * (1.0 + math.cos(math.pi * fraction))


class CosineDecay(LearningRateSchedule):
    """Cosine decay over `decay_steps` to `alpha * initial`, after an optional linear warmup from
    `initial_learning_rate` to `warmup_target` over `warmup_steps` (the decay then starts from
    `warmup_target`).

    Args:
        initial_learning_rate: the learning rate at step 0.
        decay_steps: length of the decay (> 0).
        alpha: the final learning rate as a fraction of the starting one. Defaults to `0.0`.
        name: defaults to `"CosineDecay"`.
        warmup_target: the learning rate at the end of the warmup; `None` means no warmup.
        warmup_steps: length of the warmup. Defaults to `0`.

    Example:

    ```python
    import kerasish
    s = kerasish.optimizers.schedules.CosineDecay(0.0, decay_steps=1000, warmup_target=0.1,
                                                  warmup_steps=100)
    s(50)  # 0.05
    ```
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.alpha, self.name = alpha, name
        self.warmup_target, self.warmup_steps = warmup_target, warmup_steps

    def _decayed(self, step, start):
        return start * ((1.0 - self.alpha) * _cosine(step / self.decay_steps) + self.alpha)

    def __call__(self, step):
        step = _step(step)
        if self.warmup_target is None:
            return self._decayed(min(step, self.decay_steps), self.initial_learning_rate)
        step = min(step, self.decay_steps + self.warmup_steps)
        if step < self.warmup_steps:
            delta = self.warmup_target - self.initial_learning_rate
            return delta * step / self.warmup_steps + self.initial_learning_rate
        return self._decayed(step - self.warmup_steps, self.warmup_target)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): periods grow by `t_mul`, peaks shrink by `m_mul`.

    Args:
        initial_learning_rate: the learning rate at step 0.
        first_decay_steps: length of the first period (> 0).
        t_mul: period growth factor. Defaults to `2.0`.
        m_mul: peak factor per restart. Defaults to `1.0`.
        alpha: the minimum as a fraction of the peak. Defaults to `0.0`.
        name: defaults to `"SGDRDecay"`.

    Example:

    ```python
    import kerasish
    s = kerasish.optimizers.schedules.CosineDecayRestarts(0.1, first_decay_steps=100)
    s(100)  # 0.1: the first restart
    ```
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0,
                 name="SGDRDecay"):
        _check_positive("first_decay_steps", first_decay_steps)
        self.initial_learning_rate, self.first_decay_steps = initial_learning_rate, first_decay_steps
        self._t_mul, self._m_mul, self.alpha, self.name = t_mul, m_mul, alpha, name

    def __call__(self, step):
        fraction = _step(step) / self.first_decay_steps
        t_mul = float(self._t_mul)
        if t_mul == 1.0:
            restart = math.floor(fraction)
            fraction -= restart
        else:
            restart = math.floor(math.log(1.0 - fraction * (1.0 - t_mul)) / math.log(t_mul))
            done = (1.0 - t_mul ** restart) / (1.0 - t_mul)
            fraction = (fraction - done) / t_mul ** restart
        peak = self._m_mul ** restart * _cosine(fraction)
        return self.initial_learning_rate * ((1.0 - self.alpha) * peak + self.alpha)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self._t_mul,
                "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


_ALL = (ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay,
        CosineDecayRestarts)
_REGISTRY = Registry("learning rate schedule", {c.__name__: c for c in _ALL},
                     base=LearningRateSchedule)


def serialize(schedule):
    """`{"class_name": ..., "config": ...}` for a schedule, in Keras's form for built-in ones (so
    saved configs read the same in both libraries).

    Example:

    >>> s = kerasish.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> kerasish.optimizers.schedules.serialize(s)["class_name"]
    'ExponentialDecay'
    """
    if type(schedule) in _ALL:
        return {"module": "keras.optimizers.schedules", "class_name": type(schedule).__name__,
                "config": schedule.get_config(), "registered_name": None}
    return _REGISTRY.serialize(schedule)


def deserialize(config, custom_objects=None):
    """A schedule from `serialize`'s output.

    Example:

    >>> s = kerasish.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> float(kerasish.optimizers.schedules.deserialize(kerasish.optimizers.schedules.serialize(s))(10))
    0.05
    """
    return _REGISTRY.deserialize(config, custom_objects)
