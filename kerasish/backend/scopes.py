"""`name_scope` and `remat` (Keras 3's top-level `keras.name_scope` / `keras.remat`)."""

import contextlib
import functools
import threading

import torch.utils.checkpoint

_LOCAL = threading.local()


class name_scope:
    """A name prefix for this thread, as a context manager (`with name_scope("encoder"): ...`).

    Args:
        name: the scope's name (no '/').

    `current_path()` gives the joined path of the open scopes ("outer/inner").

    Example:

    >>> from kerasish.backend.scopes import current_path
    >>> with kerasish.name_scope("encoder"):
    ...     with kerasish.name_scope("block_1"):
    ...         print(current_path())
    encoder/block_1
    """

    def __init__(self, name, **kwargs):
        if not isinstance(name, str) or not name or "/" in name:
            raise ValueError(
                f"Argument `name` must be a non-empty string without '/'. Received: name={name!r}")
        self.name = name
        self._pushed = False

    def __enter__(self):
        stack = getattr(_LOCAL, "names", None)
        if stack is None:
            stack = _LOCAL.names = []
        stack.append(self.name)
        self._pushed = True
        return self

    def __exit__(self, *exc):
        if self._pushed:
            _LOCAL.names.pop()
            self._pushed = False


def current_path():
    """The open name scopes of this thread joined with '/' ("" when none)."""
    return "/".join(getattr(_LOCAL, "names", None) or ())


def remat(f):
    """`f` with its activations recomputed in the backward pass instead of kept (gradient
    checkpointing, `torch.utils.checkpoint`): less memory, one more forward per backward.

    Example:

    ```python
    block = kerasish.remat(lambda x: kerasish.ops.relu(x @ w))
    ```
    """
    if not callable(f):
        raise TypeError(f"`remat` expects a callable. Received: f={f!r}")

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        return torch.utils.checkpoint.checkpoint(f, *args, use_reentrant=False,
                                                 context_fn=_recompute_context, **kwargs)

    return wrapped


# Per-call state the recomputation must see as the forward pass saw it (the layers' training flag:
# without it, Dropout inside `remat` would recompute without dropout). The layers floor registers
# a capture function: called at forward time, it returns a factory of context managers that
# restore the state (a factory: a graph kept with `retain_graph` may be recomputed twice).
_REMAT_CAPTURES = []


def register_remat_capture(capture):
    """Registers `capture() -> (() -> context manager)`: per-call state restored while `remat`
    recomputes."""
    if capture not in _REMAT_CAPTURES:
        _REMAT_CAPTURES.append(capture)


def _recompute_context():
    restorers = [capture() for capture in _REMAT_CAPTURES]
    return contextlib.nullcontext(), _Restore(restorers)


class _Restore:
    def __init__(self, managers):
        self._managers = managers
        self._stack = None

    def __enter__(self):
        self._stack = contextlib.ExitStack()
        for factory in self._managers:
            self._stack.enter_context(factory())
        return self

    def __exit__(self, *exc):
        return self._stack.__exit__(*exc)
