"""`kerasish.random`: Keras 3's random draws (`keras.random`) with Keras's seed semantics."""

from kerasish.random.random_ops import (  # noqa: F401
    beta, binomial, categorical, dropout, gamma, normal, randint, shuffle, truncated_normal, uniform,
)
from kerasish.random.seed_generator import SeedGenerator  # noqa: F401

__all__ = ["SeedGenerator", "beta", "binomial", "categorical", "dropout", "gamma", "normal",
           "randint", "shuffle", "truncated_normal", "uniform"]
