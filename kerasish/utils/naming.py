"""Keras-style automatic names: `dense`, `dense_1`, ... (reset by `clear_session`)."""

import collections
import re

_UIDS = collections.defaultdict(int)


def to_snake_case(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
    if name.startswith("_"):  # private classes get a public-looking prefix, as in Keras
        name = "private" + name
    return name


def uniquify(prefix):
    """`prefix` the first time, then `prefix_1`, `prefix_2`, ..."""
    count = _UIDS[prefix]
    _UIDS[prefix] += 1
    return prefix if count == 0 else f"{prefix}_{count}"


def auto_name(obj_or_cls):
    cls = obj_or_cls if isinstance(obj_or_cls, type) else type(obj_or_cls)
    return uniquify(to_snake_case(cls.__name__))


def reset_uids():
    _UIDS.clear()
