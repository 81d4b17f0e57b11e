"""Weight regularizers: `l1`, `l2`, `l1_l2`, `orthogonal_regularizer`, with Keras's formulas."""

import torch

from kerasish.saving.registry import Registry


class Regularizer:
    """Base class: `__call__(weight)` returns a scalar penalty added to the training loss.

    Example:

    >>> class SumOfWeights(kerasish.regularizers.Regularizer):
    ...     def __call__(self, x):
    ...         return 0.1 * x.sum()
    >>> SumOfWeights()(torch.tensor([1.0, 2.0]))
    tensor(0.3000)
    """

    def __call__(self, x):
        return 0.0

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _check(name, value):
    value = float(value)
    if value < 0 or value != value:
        raise ValueError(f"Value for argument `{name}` must be a non-negative float. Received: {name}={value}")
    return value


class L1(Regularizer):
    """The L1 penalty: `l1 * sum(abs(x))`, added to the training loss.

    Args:
        l1: the factor. Defaults to `0.01`.

    Example:

    >>> kerasish.regularizers.L1(0.1)(torch.tensor([1.0, -2.0]))
    tensor(0.3000)
    """

    def __init__(self, l1=0.01):
        self.l1 = _check("l1", l1)

    def __call__(self, x):
        return self.l1 * torch.sum(torch.abs(x))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """The L2 penalty: `l2 * sum(square(x))`, added to the training loss.

    Args:
        l2: the factor. Defaults to `0.01`.

    Example:

    >>> kerasish.regularizers.L2(0.1)(torch.tensor([1.0, -2.0]))
    tensor(0.5000)
    """

    def __init__(self, l2=0.01):
        self.l2 = _check("l2", l2)

    def __call__(self, x):
        return self.l2 * torch.sum(torch.square(x))

    def get_config(self):
        return {"l2": self.l2}


class L1L2(Regularizer):
    """The L1 and L2 penalties: `l1 * sum(abs(x)) + l2 * sum(square(x))`.

    Args:
        l1: the L1 factor. Defaults to `0.0`.
        l2: the L2 factor. Defaults to `0.0`.

    Example:

    >>> kerasish.regularizers.L1L2(l1=0.1, l2=0.1)(torch.tensor([1.0, -2.0]))
    tensor(0.8000)
    >>> layer = kerasish.layers.Dense(3, kernel_regularizer=kerasish.regularizers.L1L2(l2=1e-4))
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = _check("l1", l1), _check("l2", l2)

    def __call__(self, x):
        out = 0.0
        if self.l1:
            out = out + self.l1 * torch.sum(torch.abs(x))
        if self.l2:
            out = out + self.l2 * torch.sum(torch.square(x))
        return out

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2D weight towards orthogonality: `factor` times
    the mean absolute off-diagonal value of the product of the L2-normalized rows (columns).

    Args:
        factor: the factor. Defaults to `0.01`.
        mode: `"rows"` or `"columns"`: which vectors should be orthogonal. Defaults to `"rows"`.

    Example:

    >>> kerasish.regularizers.OrthogonalRegularizer(factor=1.0)(torch.tensor([[1.0, 0.0], [1.0, 1.0]]))
    tensor(0.7071)
    """

    def __init__(self, factor=0.01, mode="rows"):
        if mode not in ("rows", "columns"):
            raise ValueError(f"Invalid value for argument `mode`: expected 'rows' or 'columns'. Received: mode={mode}")
        self.factor, self.mode = _check("factor", factor), mode

    def __call__(self, x):
        if x.ndim != 2:
            raise ValueError(f"Inputs to OrthogonalRegularizer must have rank 2. Received: shape={tuple(x.shape)}")
        x = x if self.mode == "rows" else x.T
        x = x / torch.clamp(torch.linalg.norm(x, dim=1, keepdim=True), min=1e-12)
        product = x @ x.T
        size = x.shape[0]
        off = product - torch.eye(size, device=x.device, dtype=x.dtype) * product
        return self.factor * torch.sum(torch.abs(off)) / (size * (size - 1))

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


def l1_l2(l1=0.01, l2=0.01):
    """Keras 2's `l1_l2` (both factors default to 0.01, unlike `L1L2`).

    Example:

    >>> kerasish.regularizers.l1_l2()(torch.tensor([1.0, -2.0]))
    tensor(0.0800)
    """
    return L1L2(l1=l1, l2=l2)


l1, l2, orthogonal_regularizer = L1, L2, OrthogonalRegularizer

_REGISTRY = Registry(
    "regularizer",
    {c.__name__: c for c in (L1, L2, L1L2, OrthogonalRegularizer)},
    {"l1": "L1", "l2": "L2", "l1_l2": "L1L2", "orthogonal_regularizer": "OrthogonalRegularizer"},
    base=Regularizer,
)


def get(identifier):
    """The regularizer for an identifier: a name, a config dict, a callable, an instance or `None`.

    Args:
        identifier: `"l1"`, `"l2"`, `"l1_l2"`, `"orthogonal_regularizer"` (or the class names), a
            `{"class_name", "config"}` dict, a callable or `None`.

    Returns:
        A `Regularizer` (or the callable itself; `None` for `None`).

    Raises:
        ValueError: for an unknown name, listing the closest valid ones.

    Example:

    >>> kerasish.regularizers.get("l2").l2
    0.01
    >>> kerasish.regularizers.get({"class_name": "L1", "config": {"l1": 0.5}}).l1
    0.5
    """
    return _REGISTRY.get(identifier)


def serialize(regularizer):
    """The config dict of a regularizer (`deserialize` rebuilds it).

    Args:
        regularizer: a `Regularizer` instance.

    Returns:
        A dict with `"module"`, `"class_name"`, `"config"` and `"registered_name"`.

    Example:

    >>> kerasish.regularizers.serialize(kerasish.regularizers.L2(0.5))["config"]
    {'l2': 0.5}
    """
    return _REGISTRY.serialize(regularizer)


def deserialize(config, custom_objects=None):
    """A regularizer rebuilt from its config dict (the inverse of `serialize`).

    Args:
        config: a dict from `serialize` (or a name).
        custom_objects: optional dict of names to custom regularizer classes.

    Returns:
        A `Regularizer` instance.

    Example:

    >>> kerasish.regularizers.deserialize(kerasish.regularizers.serialize(kerasish.regularizers.L1L2(l1=0.25))).l1
    0.25
    """
    return _REGISTRY.deserialize(config, custom_objects)
