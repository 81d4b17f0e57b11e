"""Keras-style automatic names: `dense`, `dense_1`, ... (reset by `clear_session`).

The counters are per thread, as in Keras 3 (its `name_uids` live in thread-local global state):
models built in two threads get the same names and do not race on one counter.
"""

import collections
import re
import threading

_LOCAL = threading.local()


def _uids():
    try:
        return _LOCAL.uids
    except AttributeError:
        uids = _LOCAL.uids = collections.defaultdict(int)
        return uids


def to_snake_case(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()
    if name.startswith("_"):  # private classes get a public-looking prefix, as in Keras
        name = "private" + name
    return name


def uniquify(prefix):
    """`prefix` the first time, then `prefix_1`, `prefix_2`, ..."""
    uids = _uids()
    count = uids[prefix]
    uids[prefix] += 1
    return prefix if count == 0 else f"{prefix}_{count}"


def auto_name(obj_or_cls):
    cls = obj_or_cls if isinstance(obj_or_cls, type) else type(obj_or_cls)
    return uniquify(to_snake_case(cls.__name__))


def reset_uids():
    """Restarts this thread's automatic names."""
    _uids().clear()
