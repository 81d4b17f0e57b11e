"""Keras 1 argument names, converted with a warning as Keras 2 converted them.

`@legacy_arguments({"output_dim": "units", "init": "kernel_initializer"})` on a layer's `__init__`
renames old keywords; `value_conversions` maps old values (e.g. `border_mode="full"`).
"""

import functools
import warnings


def legacy_arguments(renames, positional_renames=None, value_conversions=None, preprocess=None):
    """Decorator for `__init__` methods that accept Keras 1 keyword names.

    Args:
        renames: dict old keyword -> new keyword.
        value_conversions: dict new keyword -> {old value: new value}.
        preprocess: optional `(args, kwargs) -> (args, kwargs, converted_names)` for conversions that
            need more than a rename (e.g. `nb_row, nb_col` -> `kernel_size`).
    """

    def decorator(init):
        @functools.wraps(init)
        def wrapper(self, *args, **kwargs):
            converted = []
            if preprocess is not None:
                args, kwargs, extra = preprocess(args, kwargs)
                converted.extend(extra)
            for old, new in renames.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(
                            f"{type(self).__name__} got both the Keras 1 argument {old!r} and its Keras 2 "
                            f"name {new!r}. Received: {old}={kwargs[old]!r}, {new}={kwargs[new]!r}"
                        )
                    kwargs[new] = kwargs.pop(old)
                    converted.append(f"{new}={kwargs[new]!r}")
            for key, table in (value_conversions or {}).items():
                if key in kwargs and isinstance(kwargs[key], str) and kwargs[key] in table:
                    kwargs[key] = table[kwargs[key]]
            if converted:
                warnings.warn(
                    f"Update your `{type(self).__name__}` call to the Keras 2 API: "
                    f"`{type(self).__name__}({', '.join(converted)})`",
                    UserWarning,
                    stacklevel=2,
                )
            return init(self, *args, **kwargs)

        return wrapper

    return decorator
