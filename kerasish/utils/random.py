"""`set_random_seed`: seeds Python, numpy, torch and kerasish's global `SeedGenerator` at once."""

import random

import numpy as np
import torch

from kerasish.random import seed_generator

_SEED = [None]


def set_random_seed(seed):
    """Seeds `random`, `numpy.random`, torch (CPU and CUDA) and the global `SeedGenerator`
    (which unseeded `kerasish.random` draws use) with `seed`, as Keras does."""
    if not isinstance(seed, int):
        raise ValueError(f"Expected `seed` argument to be an integer. Received: seed={seed} (of type {type(seed)})")
    _SEED[0] = seed
    # The global generator is made again from Python's `random`, seeded just below.
    seed_generator.reset_global_seed_generator()
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def get_random_seed():
    """The integer last given to `set_random_seed`, or None."""
    return _SEED[0]
