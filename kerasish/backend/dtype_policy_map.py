"""`DTypePolicyMap`: dtype policies by layer path (regular expressions), with a default."""

import re
from collections.abc import MutableMapping

from kerasish.backend.dtype_policy import DTypePolicy


class DTypePolicyMap(DTypePolicy, MutableMapping):
    """A dict-like map from layer paths (or patterns `re.fullmatch`ed against them) to policies.

    Keras uses it to give the layers of a (quantized) model their own policies. kerasish keeps the
    map and its lookups; a layer takes one policy, so passing a map as a layer's `dtype` raises
    `ValueError` (pick the entry with `policy_map[layer_path]`).

    Args:
        default_policy: the policy of unmatched paths. Defaults to the global policy.
        policy_map: a dict `{path_or_pattern: policy}`.

    Example:

    ```python
    policies = kerasish.dtype_policies.DTypePolicyMap("float32", {"dense.*": "mixed_bfloat16"})
    policies["dense_1"]  # <DTypePolicy "mixed_bfloat16">
    ```
    """

    def __init__(self, default_policy=None, policy_map=None):
        if isinstance(default_policy, DTypePolicyMap):
            raise ValueError("`default_policy` cannot be a DTypePolicyMap. "
                             f"Received: default_policy={default_policy!r}")
        if policy_map is not None and not isinstance(policy_map, dict):
            raise TypeError(f"`policy_map` must be a dict. Received: policy_map={policy_map!r}")
        from kerasish.backend.dtype_policy import global_policy

        self._default_policy_arg = default_policy
        self._default_policy = global_policy() if default_policy is None else DTypePolicy(default_policy)
        self._policy_map = {}
        for key, policy in (policy_map or {}).items():
            self[key] = policy

    @property
    def name(self):
        return f"map_{self._default_policy.name}"

    @property
    def default_policy(self):
        return self._default_policy

    @property
    def variable_dtype(self):
        return self._default_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self._default_policy.compute_dtype

    def __getitem__(self, key):
        if key in self._policy_map:
            return self._policy_map[key]
        matching = [p for p in self._policy_map if re.fullmatch(p, key)]
        if len(matching) > 1:
            raise ValueError(f"Path '{key}' matches several keys of the DTypePolicyMap: {matching}. "
                             f"Received: key={key!r}")
        return self._policy_map[matching[0]] if matching else self._default_policy

    def __setitem__(self, key, policy):
        if key in self._policy_map:
            raise ValueError(f"'{key}' is already in the DTypePolicyMap. Received: key={key!r}")
        self._policy_map[key] = policy if isinstance(policy, DTypePolicy) else DTypePolicy(policy)

    def __delitem__(self, key):
        return self._policy_map.pop(key)

    def __contains__(self, key):
        return key in self._policy_map

    def __len__(self):
        return len(self._policy_map)

    def __iter__(self):
        return iter(self._policy_map)

    def __eq__(self, other):
        return (isinstance(other, DTypePolicyMap) and other.default_policy == self.default_policy
                and dict(other.items()) == dict(self.items()))

    __hash__ = None

    def get_config(self):
        return {"default_policy": self._default_policy_arg,
                "policy_map": {k: {"module": "keras", "class_name": "DTypePolicy",
                                   "config": v.get_config(), "registered_name": None}
                               for k, v in self._policy_map.items()}}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        policy_map = {k: DTypePolicy(v["config"]["name"] if isinstance(v, dict) else v)
                      for k, v in (config.get("policy_map") or {}).items()}
        return cls(config.get("default_policy"), policy_map)

    def __repr__(self):
        mapping = [(k, v.name) for k, v in self._policy_map.items()]
        return f"<DTypePolicyMap default_policy={self._default_policy.name}, mapping={mapping}>"
