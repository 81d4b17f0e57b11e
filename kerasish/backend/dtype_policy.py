"""Dtype policies with Keras's names: `"float32"`, `"mixed_float16"`, `"mixed_bfloat16"`, ...

A policy has a variable dtype (weights are kept in it) and a compute dtype (layers compute in it).
The global policy is configuration (set on purpose by the user), so it lives on the ground floor
with floatx; `kerasish.mixed_precision` and `kerasish.config` re-export it.
"""

from kerasish.backend import config, dtypes


class DTypePolicy:
    """A dtype policy. `DTypePolicy("mixed_bfloat16")` keeps float32 weights and computes in bfloat16.

    Example:

    >>> policy = keras.DTypePolicy("mixed_bfloat16")
    >>> policy.compute_dtype, policy.variable_dtype
    ('bfloat16', 'float32')
    >>> keras.layers.Dense(2, dtype=policy).compute_dtype
    'bfloat16'
    """

    def __init__(self, name=None):
        if name is None:
            name = config.floatx()
        if isinstance(name, DTypePolicy):
            name = name.name
        name = dtypes.dtype_name(name) if not str(name).startswith("mixed_") else str(name)
        if name.startswith("mixed_"):
            compute = name[len("mixed_"):]
            if compute not in ("float16", "bfloat16"):
                raise ValueError(
                    "Mixed precision policies must be 'mixed_float16' or 'mixed_bfloat16'. "
                    f"Received: name={name!r}"
                )
            self._variable, self._compute = "float32", compute
        else:
            self._variable = self._compute = name
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def variable_dtype(self):
        return self._variable

    @property
    def compute_dtype(self):
        return self._compute

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'


Policy = DTypePolicy
_GLOBAL_POLICY = None


def set_global_policy(policy):
    """Sets the policy new layers use when they are given no `dtype`.

    Example:

    >>> kerasish.mixed_precision.set_global_policy("mixed_bfloat16")
    >>> kerasish.layers.Dense(2).dtype_policy.name
    'mixed_bfloat16'
    >>> kerasish.mixed_precision.set_global_policy(None)
    >>> kerasish.mixed_precision.global_policy().name
    'float32'
    """
    global _GLOBAL_POLICY
    _GLOBAL_POLICY = None if policy is None else DTypePolicy(policy)


def global_policy():
    """The dtype policy layers use when they are given no `dtype`: the one set by
    `set_global_policy`, else `floatx()`'s.

    Returns:
        A `DTypePolicy`.

    Example:

    >>> kerasish.mixed_precision.global_policy().name
    'float32'
    """
    return _GLOBAL_POLICY or DTypePolicy(config.floatx())


def dtype_policy():
    """The global dtype policy (Keras 3's `mixed_precision.dtype_policy`).

    Example:

    >>> keras.mixed_precision.dtype_policy().name
    'float32'
    """
    return global_policy()


def set_dtype_policy(policy):
    """Sets the global dtype policy (Keras 3's `mixed_precision.set_dtype_policy`).

    Example:

    >>> keras.mixed_precision.set_dtype_policy("mixed_float16")
    >>> keras.mixed_precision.dtype_policy().compute_dtype
    'float16'
    >>> keras.mixed_precision.set_dtype_policy(None)
    """
    set_global_policy(policy)


def resolve_policy(dtype):
    """The `DTypePolicy` for a layer's `dtype` argument: `None` is the global policy; a name,
    a config dict or a policy give that policy.

    Args:
        dtype: `None`, a policy name (`"mixed_float16"`, `"float32"`, ...), a `DTypePolicy` or its
            config dict.

    Returns:
        A `DTypePolicy`.

    Raises:
        ValueError: for a `DTypePolicyMap` (a layer takes one policy).

    Example:

    >>> policy = kerasish.mixed_precision.resolve_policy("mixed_bfloat16")
    >>> policy.compute_dtype, policy.variable_dtype
    ('bfloat16', 'float32')
    """
    if dtype is None:
        return global_policy()
    if isinstance(dtype, dict):
        dtype = dtype.get("config", {}).get("name", dtype)
    if isinstance(dtype, DTypePolicy) and type(dtype).__name__ == "DTypePolicyMap":
        raise ValueError(
            "A layer takes one dtype policy; a DTypePolicyMap (policies by layer path, used by "
            "Keras's quantization) is not supported as a layer `dtype` in kerasish. Pass the "
            f"layer's entry, `policy_map[layer_path]`. Received: dtype={dtype!r}")
    return DTypePolicy(dtype)
