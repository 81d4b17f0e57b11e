"""Shared shuffle-and-split of the housing datasets (Keras's seeded `RandomState` shuffle)."""

import numpy as np


def shuffle_split(x, y, test_split, seed):
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    cut = int(len(x) * (1 - test_split))
    return (np.array(x[:cut]), np.array(y[:cut])), (np.array(x[cut:]), np.array(y[cut:]))
