"""Argument handling shared by the cropping, zero-padding and up-sampling layers."""

from kerasish.backend import config as backend_config


def pairs(value, rank, name):
    """`value` as `rank` `(before, after)` int pairs: an int, `rank` ints, or `rank` pairs."""
    if isinstance(value, int) and not isinstance(value, bool):
        out = ((value, value),) * rank
    elif isinstance(value, (list, tuple)) and len(value) == rank:
        try:
            out = tuple((int(v), int(v)) if isinstance(v, int) else (int(v[0]), int(v[1]))
                        for v in value)
        except (TypeError, ValueError, IndexError):
            out = None
        if out is not None and any(
                not isinstance(v, int) and len(v) != 2 for v in value):
            out = None
    elif rank == 1 and isinstance(value, (list, tuple)) and len(value) == 2:
        out = ((int(value[0]), int(value[1])),)
    else:
        out = None
    if out is None or any(v < 0 for pair in out for v in pair):
        raise ValueError(
            f"`{name}` should be a non-negative int, a tuple of {rank} non-negative ints, or a "
            f"tuple of {rank} tuples of 2 non-negative ints. Received: {name}={value!r}"
        )
    return out


def spatial_axes(data_format, rank):
    first = 1 if data_format == "channels_last" else 2
    return tuple(range(first, first + rank))


def standardize_format(data_format):
    return backend_config.standardize_data_format(data_format)
