"""Probabilistic metrics (the crossentropies, KL divergence, Poisson) and hinge metrics: running
means of the matching loss functions."""

from kerasish.losses import losses as _losses
from kerasish.metrics.metric import MeanMetricWrapper


class _Fixed(MeanMetricWrapper):
    """A wrapper whose function is fixed by the class; its config is its constructor arguments."""

    _fn_default = None

    def __init__(self, name=None, dtype=None, **kwargs):
        super().__init__(type(self)._fn_default, name=name, dtype=dtype, **kwargs)


class KLDivergence(_Fixed):
    """The mean Kullback-Leibler divergence.

    Example:

    ```python
    m = KLDivergence()
    m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    m.result()  # tensor(0.4581)
    ```
    """

    _fn_default = staticmethod(_losses.kl_divergence)

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(name=name, dtype=dtype)


class Poisson(_Fixed):
    """The mean Poisson loss.

    Example:

    >>> m = kerasish.metrics.Poisson()
    >>> m.update_state([[1.0, 2.0], [3.0, 4.0]], [[1.0, 3.0], [2.0, 4.0]])
    >>> round(float(m.result()), 4)
    0.0445
    """

    _fn_default = staticmethod(_losses.poisson)

    def __init__(self, name="poisson", dtype=None):
        super().__init__(name=name, dtype=dtype)


class BinaryCrossentropy(_Fixed):
    """The mean binary crossentropy. Args: `name`, `dtype`, `from_logits`, `label_smoothing`.

    Example:

    >>> m = kerasish.metrics.BinaryCrossentropy()
    >>> m.update_state([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 4)
    0.8149
    """

    _fn_default = staticmethod(_losses.binary_crossentropy)

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits, label_smoothing=label_smoothing)


class CategoricalCrossentropy(_Fixed):
    """The mean categorical crossentropy. Args: `name`, `dtype`, `from_logits`,
    `label_smoothing`, `axis`.

    Example:

    >>> m = kerasish.metrics.CategoricalCrossentropy()
    >>> m.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> round(float(m.result()), 4)
    1.1769
    """

    _fn_default = staticmethod(_losses.categorical_crossentropy)

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False, label_smoothing=0,
                 axis=-1):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits, label_smoothing=label_smoothing,
                         axis=axis)


class SparseCategoricalCrossentropy(_Fixed):
    """The mean sparse categorical crossentropy. Args: `name`, `dtype`, `from_logits`,
    `ignore_class`, `axis`.

    Example:

    >>> m = kerasish.metrics.SparseCategoricalCrossentropy()
    >>> m.update_state([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
    >>> round(float(m.result()), 4)
    1.1769
    """

    _fn_default = staticmethod(_losses.sparse_categorical_crossentropy)

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 ignore_class=None, axis=-1):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)


class Hinge(_Fixed):
    """The mean hinge loss.

    Example:

    >>> m = kerasish.metrics.Hinge()
    >>> m.update_state([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 4)
    1.3
    """

    _fn_default = staticmethod(_losses.hinge)

    def __init__(self, name="hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)


class SquaredHinge(_Fixed):
    """The mean squared hinge loss.

    Example:

    >>> m = kerasish.metrics.SquaredHinge()
    >>> m.update_state([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 4)
    1.86
    """

    _fn_default = staticmethod(_losses.squared_hinge)

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)


class CategoricalHinge(_Fixed):
    """The mean categorical hinge loss.

    Example:

    >>> m = kerasish.metrics.CategoricalHinge()
    >>> m.update_state([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])
    >>> round(float(m.result()), 4)
    1.4
    """

    _fn_default = staticmethod(_losses.categorical_hinge)

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)
