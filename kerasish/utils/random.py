"""`set_random_seed`: seeds Python, numpy, torch and kerasish's global `SeedGenerator` at once."""

import random

import numpy as np
import torch

from kerasish.random import seed_generator

_SEED = [None]


def set_random_seed(seed):
    """Seeds `random`, `numpy.random`, torch (CPU and CUDA) and the global `SeedGenerator`
    (which unseeded `kerasish.random` draws use) with `seed`, as Keras does.

    Example:

    >>> kerasish.utils.set_random_seed(7)
    >>> a = kerasish.layers.Dense(2)(np.ones((1, 3), "float32"))
    >>> kerasish.utils.set_random_seed(7)
    >>> b = kerasish.layers.Dense(2)(np.ones((1, 3), "float32"))
    >>> torch.equal(a, b)
    True
    """
    if not isinstance(seed, int):
        raise ValueError(f"Expected `seed` argument to be an integer. Received: seed={seed} (of type {type(seed)})")
    _SEED[0] = seed
    # The global generator is made again from Python's `random`, seeded just below.
    seed_generator.reset_global_seed_generator()
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def get_random_seed():
    """The integer last given to `set_random_seed`, or None.

    Example:

    >>> kerasish.utils.set_random_seed(3)
    >>> kerasish.utils.get_random_seed()
    3
    """
    return _SEED[0]
