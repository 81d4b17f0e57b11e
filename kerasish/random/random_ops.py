"""Keras's random draws (`keras.random`) on torch generators.

Every function takes `seed`: an int (the same draw each call), a `SeedGenerator` (advances), or None
(the thread's global generator, reset by `kerasish.utils.set_random_seed`). Draws use the same torch
calls and seeding as Keras 3's torch backend, so seeded results are identical to Keras's.
"""

import torch
import torch.nn.functional as F

from kerasish.backend import config, dtypes
from kerasish.ops.convert import to_tensor
from kerasish.random.seed_generator import SeedGenerator, seed_value, torch_generator


def _dtype(dtype):
    return dtypes.to_torch_dtype(dtype or config.floatx())


def _shape(shape, name="shape"):
    if isinstance(shape, int):
        return (shape,)
    try:
        return tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise ValueError(
            f"Argument `{name}` must be a tuple of integers. Received: {name}={shape!r}"
        ) from None


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draws from a normal distribution.

    Args:
        shape: the output shape.
        mean, stddev: the distribution's mean and standard deviation.
        dtype: a floating dtype. Defaults to `floatx()`.
        seed: an int, a `SeedGenerator` or None.

    Example:

    >>> kerasish.random.normal((2, 2), seed=1).shape
    torch.Size([2, 2])
    """
    return torch.normal(mean, stddev, size=_shape(shape), generator=torch_generator(seed),
                        dtype=_dtype(dtype), device=config.get_device())


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Draws from a uniform distribution on `[minval, maxval)`.

    Example:

    >>> x = kerasish.random.uniform((2, 3), minval=1.0, maxval=2.0, seed=1)
    >>> x.shape, bool(ops.all((x >= 1.0) & (x < 2.0)))
    (torch.Size([2, 3]), True)
    """
    dtype = _dtype(dtype)
    if not dtype.is_floating_point:
        raise ValueError(
            "`keras.random.uniform` requires a floating point `dtype`; use `randint` for integers. "
            f"Received: dtype={dtypes.dtype_name(dtype)}"
        )
    shape = _shape(shape)
    draw = torch.rand(size=shape or (1,), generator=torch_generator(seed), dtype=dtype,
                      device=config.get_device())
    out = (maxval - minval) * draw + minval
    return out if shape else out[0]


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Draws integers uniformly from `[minval, maxval)`.

    Example:

    >>> x = kerasish.random.randint((4,), minval=0, maxval=3, seed=1)
    >>> x.dtype, bool(ops.all((x >= 0) & (x < 3)))
    (torch.int32, True)
    """
    return torch.randint(low=minval, high=maxval, size=_shape(shape), generator=torch_generator(seed),
                         dtype=dtypes.to_torch_dtype(dtype), device=config.get_device())


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draws from a normal distribution truncated to two standard deviations around `mean`.

    Example:

    >>> x = kerasish.random.truncated_normal((100,), seed=1)
    >>> x.shape, bool(ops.all(ops.abs(x) <= 2.0))
    (torch.Size([100]), True)
    """
    shape = _shape(shape)
    dtype = _dtype(dtype)
    # Four candidates per value; the first inside (-2, 2) is kept (Keras's torch scheme).
    x = normal(shape + (4,), dtype=dtype, seed=seed)
    first_valid = ((x > -2) & (x < 2)).max(-1, keepdim=True)[1]
    return x.gather(-1, first_valid).squeeze(-1).mul_(stddev).add_(mean)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draws `num_samples` class indices per row of `logits` (batch, classes).

    Example:

    >>> logits = ops.log(ops.convert_to_tensor([[1.0, 0.0], [0.0, 1.0]]))
    >>> kerasish.random.categorical(logits, 3, seed=1)
    tensor([[0, 0, 0],
            [1, 1, 1]], dtype=torch.int32)
    """
    logits = to_tensor(logits)
    if logits.ndim != 2:
        raise ValueError(
            "`logits` should be a 2-D tensor with shape [batch_size, num_classes]. "
            f"Received: logits.shape={tuple(logits.shape)}"
        )
    probs = torch.softmax(logits, dim=-1)
    out = torch.multinomial(probs, num_samples, replacement=True,
                            generator=torch_generator(seed, probs.device))
    return out.to(dtypes.to_torch_dtype(dtype))


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes entries with probability `rate` and scales the rest by `1 / (1 - rate)`.

    Example:

    >>> x = kerasish.random.dropout(ops.ones((2, 4)), rate=0.5, seed=1)
    >>> sorted(set(x.flatten().tolist()))
    [0.0, 2.0]
    """
    inputs = to_tensor(inputs)
    if not 0 <= rate <= 1:
        raise ValueError(f"`rate` must be in [0, 1]. Received: rate={rate}")
    if rate == 1.0:
        return torch.zeros_like(inputs)
    if rate == 0.0:
        return inputs
    seeded = seed is not None and not (isinstance(seed, SeedGenerator) and seed._initial_seed is None)
    if not seeded and noise_shape is None:
        return F.dropout(inputs, p=rate, training=True)
    keep = 1.0 - rate
    shape = tuple(inputs.shape) if noise_shape is None else tuple(
        inputs.shape[i] if d is None else d for i, d in enumerate(noise_shape))
    mask = torch.bernoulli(torch.full(shape, keep, device=inputs.device),
                           generator=torch_generator(seed, inputs.device)).bool()
    return torch.where(torch.broadcast_to(mask, inputs.shape), inputs / keep, torch.zeros_like(inputs))


def shuffle(x, axis=0, seed=None):
    """Shuffles `x` along `axis` (each slice along the following axes moves as a whole).

    Example:

    >>> x = kerasish.random.shuffle(ops.arange(5), seed=1)
    >>> sorted(x.tolist())
    [0, 1, 2, 3, 4]
    """
    x = to_tensor(x)
    axis = axis % x.ndim if x.ndim else 0
    perm = torch.rand(x.shape[: axis + 1], generator=torch_generator(seed, x.device),
                      device=x.device).argsort(axis)
    perm = perm.reshape(tuple(perm.shape) + (1,) * (x.ndim - axis - 1)).expand(x.shape)
    return x.gather(axis, perm)


def _sample_with_seed(seed, make_distribution, dtype):
    # torch.distributions draw from the default generator: seed it for this draw, then restore.
    state = torch.random.get_rng_state()
    try:
        torch.manual_seed(seed_value(seed))
        return make_distribution().sample().to(_dtype(dtype))
    finally:
        torch.random.set_rng_state(state)


def gamma(shape, alpha, dtype=None, seed=None):
    """Draws from a gamma distribution of concentration `alpha` (rate 1).

    Example:

    >>> x = kerasish.random.gamma((3,), alpha=2.0, seed=1)
    >>> x.shape, bool(ops.all(x > 0))
    (torch.Size([3]), True)
    """
    shape = _shape(shape)
    alpha = torch.broadcast_to(to_tensor(alpha), shape)
    return _sample_with_seed(seed, lambda: torch.distributions.Gamma(
        alpha, torch.ones(shape, device=alpha.device)), dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Draws from binomial distributions of `counts` trials with success `probabilities`.

    Example:

    >>> x = kerasish.random.binomial((3,), counts=5.0, probabilities=0.5, seed=1)
    >>> x.shape, bool(ops.all((x >= 0) & (x <= 5)))
    (torch.Size([3]), True)
    """
    shape = _shape(shape)
    counts = torch.broadcast_to(to_tensor(counts), shape)
    probabilities = torch.broadcast_to(to_tensor(probabilities), shape)
    return _sample_with_seed(seed, lambda: torch.distributions.Binomial(
        total_count=counts, probs=probabilities), dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Draws from beta distributions with concentrations `alpha` and `beta`.

    Example:

    >>> x = kerasish.random.beta((3,), alpha=2.0, beta=2.0, seed=1)
    >>> x.shape, bool(ops.all((x > 0) & (x < 1)))
    (torch.Size([3]), True)
    """
    shape = _shape(shape)
    a = torch.broadcast_to(to_tensor(alpha), shape)
    b = torch.broadcast_to(to_tensor(beta), shape)
    return _sample_with_seed(seed, lambda: torch.distributions.Beta(
        concentration1=a, concentration0=b), dtype)
