"""Keras 3's `StatelessScope`, `SymbolicScope` and `RematScope`, each kept per thread.

`StatelessScope(state_mapping)`: inside it, a variable named in the mapping reads as its mapped
value (torch ops see the mapped tensor, so gradients flow to it), and `assign`/`assign_add`/
`assign_sub` record the new value in the scope instead of writing the variable
(`scope.get_current_value(v)`). Reads are redirected through `Variable.__torch_function__`, which
is installed only while some thread has a scope open, so ordinary training pays nothing.
"""

import threading

import torch

from kerasish.backend import dtypes

_LOCAL = threading.local()
_OPEN = [0]  # stateless scopes open in any thread (the torch-function redirect is on while > 0)
_OPEN_LOCK = threading.Lock()


def get_stateless_scope():
    """This thread's innermost `StatelessScope`, or None."""
    return getattr(_LOCAL, "stateless", None)


def in_stateless_scope():
    return get_stateless_scope() is not None


class StatelessScope:
    """Scope in which variables read from `state_mapping` and updates are collected, not applied.

    Args:
        state_mapping: list of `(variable, value)` pairs; `value` must have the variable's shape.
        collect_losses: collect the losses layers add (`scope.losses`) instead of keeping them.
        initialize_variables: accepted for Keras compatibility (kerasish variables are always
            initialized when created).

    Example:

    ```python
    mapping = [(w, kerasish.ops.ones(w.shape)) for w in model.weights]
    with kerasish.StatelessScope(mapping) as scope:
        outputs = model(x)
    ```
    """

    def __init__(self, state_mapping=None, collect_losses=False, initialize_variables=True):
        from kerasish.backend.variables import Variable

        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses = []
        self.state_mapping = {}
        self._variables = {}
        for k, v in state_mapping or []:
            if not isinstance(k, Variable):
                raise ValueError(
                    "Invalid reference variable in StatelessScope: all keys in argument `mapping` "
                    f"must be Variable instances. Received instead: {k}")
            v = _as_value(v, k)
            if tuple(v.shape) != tuple(k.shape):
                raise ValueError(
                    "Invalid variable value in StatelessScope: all values in argument `mapping` must "
                    f"be tensors with a shape that matches the corresponding variable shape. For "
                    f"variable {k.name}, received invalid value with shape {tuple(v.shape)}.")
            self.state_mapping[id(k)] = v
            self._variables[id(k)] = k

    def __enter__(self):
        self._previous = get_stateless_scope()
        _LOCAL.stateless = self
        with _OPEN_LOCK:
            _OPEN[0] += 1
            if _OPEN[0] == 1:
                _redirect_reads(True)
        return self

    def __exit__(self, *exc):
        _LOCAL.stateless = self._previous
        with _OPEN_LOCK:
            _OPEN[0] -= 1
            if _OPEN[0] == 0:
                _redirect_reads(False)

    def add_loss(self, loss):
        self.losses.append(loss)

    def add_update(self, update):
        variable, value = update
        self.state_mapping[id(variable)] = _as_value(value, variable)
        self._variables[id(variable)] = variable

    def get_current_value(self, variable):
        """The variable's value in this scope (after any assignment), or None if unmapped."""
        return self.state_mapping.get(id(variable))


def _as_value(value, variable):
    dtype = variable.dtype
    if isinstance(value, torch.Tensor):
        return value if value.dtype == dtype else value.to(dtype)
    return torch.as_tensor(value, dtype=dtype, device=variable.device)


def _redirect_reads(on):
    from kerasish.backend.variables import Variable

    if on:
        Variable.__torch_function__ = classmethod(_stateless_torch_function)
    elif "__torch_function__" in Variable.__dict__:
        del Variable.__torch_function__  # back to Parameter's (no per-op Python dispatch)


def _stateless_torch_function(cls, func, types, args=(), kwargs=None):
    kwargs = kwargs or {}
    scope = get_stateless_scope()
    if scope is not None and scope.state_mapping:
        mapping = scope.state_mapping
        args = _substitute(args, mapping)
        kwargs = _substitute(kwargs, mapping)
    with torch._C.DisableTorchFunctionSubclass():
        return func(*args, **kwargs)


def _substitute(value, mapping):
    if isinstance(value, torch.nn.Parameter):
        return mapping.get(id(value), value)
    if isinstance(value, (list, tuple)):
        return type(value)(_substitute(v, mapping) for v in value)
    if isinstance(value, dict):
        return {k: _substitute(v, mapping) for k, v in value.items()}
    return value


# ---------------------------------------------------------------------- SymbolicScope
class SymbolicScope:
    """Marks this thread as tracing symbolically (`in_symbolic_scope()`), as Keras's scope of
    the same name does while it computes output specs.

    Example:

    >>> from kerasish.backend.state_scopes import in_symbolic_scope
    >>> with kerasish.SymbolicScope():
    ...     print(in_symbolic_scope())
    True
    >>> in_symbolic_scope()
    False
    """

    def __enter__(self):
        self._previous = getattr(_LOCAL, "symbolic", None)
        _LOCAL.symbolic = self
        return self

    def __exit__(self, *exc):
        _LOCAL.symbolic = self._previous


def in_symbolic_scope():
    return getattr(_LOCAL, "symbolic", None) is not None


def get_symbolic_scope():
    return getattr(_LOCAL, "symbolic", None)


# ---------------------------------------------------------------------- RematScope
_REMAT_MODES = ("full", "activations", "larger_than", "list_of_layers", None)


class RematScope:
    """Rematerialization (gradient checkpointing) for the layers created inside the scope.

    Args:
        mode: `"full"` (every layer), `"activations"` (the activation of layers that have one),
            `"larger_than"` (layers whose output has more than `output_size_threshold` elements),
            `"list_of_layers"` (layers named in `layer_names`) or `None` (off).
        output_size_threshold: the size for `"larger_than"`. Defaults to 1024.
        layer_names: the names for `"list_of_layers"`.

    As in Keras, a layer takes the mode of the scope it is created in.

    Example:

    >>> with keras.RematScope(mode="full"):  # recompute activations in the backward pass
    ...     layer = keras.layers.Dense(2)
    >>> layer(ops.ones((1, 3))).shape
    torch.Size([1, 2])
    """

    def __init__(self, mode="full", output_size_threshold=1024, layer_names=None):
        if mode not in _REMAT_MODES:
            raise ValueError(
                f"Invalid mode '{mode}'. Supported modes are: 'full', 'activations', 'larger_than', "
                f"'list_of_layers', or None. Received: mode={mode!r}")
        self.mode = mode
        self.output_size_threshold = output_size_threshold
        self.layer_names = list(layer_names or [])

    def __enter__(self):
        stack = getattr(_LOCAL, "remat", None)
        if stack is None:
            stack = _LOCAL.remat = []
        stack.append(self)
        return self

    def __exit__(self, *exc):
        _LOCAL.remat.pop()


def get_current_remat_mode():
    """The innermost open `RematScope` of this thread (None when none, or when its mode is None)."""
    stack = getattr(_LOCAL, "remat", None)
    if not stack or stack[-1].mode is None:
        return None
    return stack[-1]
