"""`SeedGenerator` and how a `seed=` argument becomes a torch generator, with Keras's semantics.

An integer seed gives the same draw on every call; a `SeedGenerator` advances its state at each draw;
no seed draws from a per-thread global generator, which `kerasish.utils.set_random_seed` resets.
The seeding arithmetic is Keras's (a state `[seed, counter]` whose sum, mod 2**32, seeds a
`torch.Generator`; the global generator steps its state as `(state + 1) * 5387 % 933199`), so a
seeded draw equals Keras 3's torch backend value for value.
"""

import itertools
import random as python_random
import threading

import torch

from kerasish.backend import config

_NAMES = itertools.count()
_LOCAL = threading.local()  # .generator: this thread's global SeedGenerator


def _as_int32(seed):
    """Keras keeps seeds as int32: a seed >= 2**31 is re-read as its two's-complement value."""
    return (seed & 0xFFFFFFFF ^ 0x80000000) - 0x80000000


class SeedGenerator:
    """A random seed state for the `kerasish.random` functions, advanced at each draw.

    Args:
        seed: the initial seed (an int). Defaults to a random one.
        name: the generator's name.

    Example:

    ```python
    gen = kerasish.random.SeedGenerator(seed=42)
    a = kerasish.random.normal((2, 3), seed=gen)
    b = kerasish.random.normal((2, 3), seed=gen)   # different from `a`
    ```
    """

    def __init__(self, seed=None, name=None, **kwargs):
        kwargs.pop("backend", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
        self.name = name or f"seed_generator_{next(_NAMES)}"
        self._initial_seed = seed
        if seed is None:
            seed = make_default_seed()
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise ValueError(f"Argument `seed` must be an integer. Received: seed={seed!r}")
        self.state = torch.tensor([_as_int32(seed), 0], dtype=torch.int32)

    def next(self, ordered=True):
        """The current state (a copy); then the state advances."""
        value = self.state.clone()
        if ordered:
            self.state[1] += 1
        else:
            # int32 arithmetic, wrapping on overflow, as Keras's state variable does.
            self.state = (self.state + 1) * 5387 % 933199
        return value

    def get_config(self):
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<SeedGenerator name={self.name!r} seed={self._initial_seed}>"


def make_default_seed():
    return python_random.randint(1, int(1e9))


def global_seed_generator():
    """This thread's global SeedGenerator (made on first use)."""
    gen = getattr(_LOCAL, "generator", None)
    if gen is None:
        gen = _LOCAL.generator = SeedGenerator()
    return gen


def reset_global_seed_generator():
    """Forgets this thread's global generator; the next unseeded draw makes a new one (from Python's
    `random`, which `set_random_seed` has just seeded)."""
    _LOCAL.generator = None


def draw_seed(seed):
    """`seed` (None, an int or a SeedGenerator) -> the `[seed, counter]` pair of this draw."""
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if isinstance(seed, int) and not isinstance(seed, bool):
        return torch.tensor([_as_int32(seed), 0], dtype=torch.int32)
    if seed is None:
        return global_seed_generator().next(ordered=False)
    raise ValueError(
        "Argument `seed` must be either an integer or an instance of `SeedGenerator`. "
        f"Received: seed={seed!r} (of type {type(seed)})"
    )


def seed_value(seed):
    """The 32-bit integer that seeds torch for this draw."""
    first, second = draw_seed(seed).tolist()
    return (first + second) & 0xFFFFFFFF


def torch_generator(seed, device=None):
    """A `torch.Generator` on `device` (default: the configured one) seeded for this draw."""
    device = config.get_device() if device is None else torch.device(device)
    generator = torch.Generator(device=device)
    generator.manual_seed(seed_value(seed))
    return generator
