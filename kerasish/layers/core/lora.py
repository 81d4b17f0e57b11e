"""LoRA (low-rank adaptation) shared by `Dense`, `EinsumDense` and `Embedding`, as in Keras 3.

`enable_lora(rank)` freezes the layer's base weight `W` and adds two trainable float32 factors `A`
(`W.shape[:-1] + (rank,)`) and `B` (`(rank, W.shape[-1])`); the layer then computes with
`W + (lora_alpha / rank) * A @ B`. `B` starts at zero, so enabling LoRA leaves the outputs as they
were. Saving writes the merged weight in the base weight's slot and leaves the factors out
(Keras's `save_own_variables`), so files stay loadable by a model without LoRA; loading assigns
the base weight and zeroes `A` and `B` (Keras's `load_own_variables`).

Keras 3.15's `Dense` and `Embedding` pass only the rank when `lora_rank=` enables LoRA in
`build`, so their `lora_alpha` silently becomes the rank; kerasish uses the `lora_alpha` given.
"""

import types

import torch

from kerasish import initializers
from kerasish.backend import layouts


def check_rank(rank, name="rank"):
    if isinstance(rank, bool) or not isinstance(rank, int) or rank <= 0:
        raise ValueError(f"`{name}` must be a positive integer. Received: {name}={rank!r}")


def init_settings(layer, lora_rank, lora_alpha):
    """The constructor's `lora_rank` / `lora_alpha` (checked; `lora_alpha` defaults to the rank);
    `build` enables LoRA when the rank is set."""
    if lora_rank is not None:
        check_rank(lora_rank, "lora_rank")
    layer.lora_rank = lora_rank
    layer.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
    layer.lora_enabled = False


def config_entries(layer):
    """`lora_rank` and `lora_alpha` for `get_config`, only when the constructor set a rank."""
    if not layer.lora_rank:
        return {}
    return {"lora_rank": layer.lora_rank, "lora_alpha": layer.lora_alpha}


def enable_lora(layer, base_attr, names, rank, lora_alpha, a_initializer, b_initializer,
                regularizer, constraint):
    """Adds the LoRA factors to `layer` (built) for its weight `base_attr`; `names` are the
    factors' weight names (`lora_kernel_a`, `lora_kernel_b`)."""
    check_rank(rank)
    if constraint is not None:
        raise ValueError(
            "Lora is incompatible with kernel constraints. In order to enable lora on this "
            f"layer, remove the constraint argument. Received: constraint={constraint!r}"
        )
    if not layer.built:
        raise ValueError("Cannot enable lora on a layer that isn't yet built. "
                         f"Received: layer {layer.name!r} with built=False")
    if getattr(layer, "lora_enabled", False):
        raise ValueError("lora is already enabled. This can only be done once per layer. "
                         f"Received: rank={rank}")
    base = getattr(layer, base_attr)
    shape = tuple(layouts.keras_shape(base))
    a = layer.add_weight(name=names[0], shape=shape[:-1] + (rank,),
                         initializer=initializers.get(a_initializer), dtype="float32",
                         regularizer=regularizer)
    b = layer.add_weight(name=names[1], shape=(rank, shape[-1]),
                         initializer=initializers.get(b_initializer), dtype="float32",
                         regularizer=regularizer)
    base.trainable = False
    layer._lora_base, layer._lora_factors = base, (a, b)
    layer.lora_enabled = True
    layer.lora_rank = rank
    layer.lora_alpha = lora_alpha if lora_alpha is not None else rank
    # Keras's saving hooks, for this layer only (a layer without LoRA keeps the default layout).
    layer.save_own_variables = types.MethodType(save_own_variables, layer)
    layer.load_own_variables = types.MethodType(load_own_variables, layer)


def merged(layer):
    """The base weight plus `(alpha / rank) * A @ B`, in the base weight's dtype."""
    base = layer._lora_base
    a, b = layer._lora_factors
    delta = torch.matmul(a, b) * (layer.lora_alpha / layer.lora_rank)
    return base + delta.to(base.dtype)


def _saved_weights(layer):
    factors = {id(f) for f in layer._lora_factors}
    return [w for w in layer._trainable_created + layer._non_trainable_created
            if id(w) not in factors]


def save_own_variables(layer, store):
    """Keras's layout: the layer's variables without the factors, the merged weight in place of
    the base one."""
    for i, w in enumerate(_saved_weights(layer)):
        value = merged(layer) if w is layer._lora_base else layouts.to_keras(w)
        store[str(i)] = layouts.to_numpy_copy(value)


def load_own_variables(layer, store):
    """Assigns the saved variables (the base weight gets the saved, merged one) and zeroes the
    factors, as Keras does."""
    weights = _saved_weights(layer)
    if len(store) != len(weights):
        raise ValueError(
            f"Layer {layer.name!r} expected {len(weights)} variables, but received "
            f"{len(store)} variables during loading. Expected: {[w.name for w in weights]}"
        )
    for i, w in enumerate(weights):
        value = store[str(i)]
        if tuple(value.shape) != tuple(layouts.keras_shape(w)):
            raise ValueError(f"Layer {layer.name!r} weight {w.name!r} has shape "
                             f"{layouts.keras_shape(w)}; the saved value has {tuple(value.shape)}. "
                             f"Received: saved shape {tuple(value.shape)}")
        layouts.assign_keras_value(w, value)
    with torch.no_grad():
        for f in layer._lora_factors:
            f.zero_()
