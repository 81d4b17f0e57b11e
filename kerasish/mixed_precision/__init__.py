"""Dtype policies with Keras's names: `"float32"`, `"mixed_float16"`, `"mixed_bfloat16"`, ...

A policy has a variable dtype (weights are kept in it) and a compute dtype (layers compute in it).
The policies live on the ground floor (`kerasish.backend.dtype_policy`); `LossScaleOptimizer` here.
"""

from kerasish.backend.dtype_policy import (  # noqa: F401
    DTypePolicy, Policy, dtype_policy, global_policy, resolve_policy, set_dtype_policy, set_global_policy,
)


def __getattr__(name):
    # Imported lazily: the optimizer base imports layers, which import this module.
    if name == "LossScaleOptimizer":
        from kerasish.mixed_precision.loss_scale_optimizer import LossScaleOptimizer

        return LossScaleOptimizer
    raise AttributeError(f"module 'kerasish.mixed_precision' has no attribute {name!r}")
