"""`set_random_seed`: seeds Python, numpy and torch at once."""

import random

import numpy as np
import torch


def set_random_seed(seed):
    """Seeds `random`, `numpy.random` and torch (CPU and CUDA) with `seed`."""
    if not isinstance(seed, int):
        raise ValueError(f"Expected `seed` argument to be an integer. Received: seed={seed} (of type {type(seed)})")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
