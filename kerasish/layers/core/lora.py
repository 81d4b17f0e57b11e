"""LoRA (low-rank adaptation) shared by `Dense`, `EinsumDense` and `Embedding`, as in Keras 3.

`enable_lora(rank)` freezes the layer's base weight `W` and adds two trainable float32 factors `A`
(`W.shape[:-1] + (rank,)`) and `B` (`(rank, W.shape[-1])`); the layer then computes with
`W + (lora_alpha / rank) * A @ B`. `B` starts at zero, so enabling LoRA leaves the outputs as they
were. Saving writes the merged weight in the base weight's slot (Keras's `save_own_variables`), so
files stay loadable by a model without LoRA; loading assigns the base weight and zeroes `A` and `B`.
"""

import torch

from kerasish import initializers
from kerasish.backend import layouts


def check_rank(rank, name="rank"):
    if isinstance(rank, bool) or not isinstance(rank, int) or rank <= 0:
        raise ValueError(f"`{name}` must be a positive integer. Received: {name}={rank!r}")


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
    setattr(layer, names[0], a)
    setattr(layer, names[1], b)
    base.trainable = False
    layer.lora_enabled = True
    layer.lora_rank = rank
    layer.lora_alpha = lora_alpha if lora_alpha is not None else rank


def merged(layer, base, a, b):
    """`base + (alpha / rank) * a @ b`, in the base weight's dtype."""
    delta = torch.matmul(a, b) * (layer.lora_alpha / layer.lora_rank)
    return base + delta.to(base.dtype)


def save_merged(layer, store, values):
    """Keras's `save_own_variables` for a LoRA layer: the merged weight where the base one goes."""
    for i, value in enumerate(values):
        store[str(i)] = value.detach().cpu().numpy() if torch.is_tensor(value) else value


def load_merged(layer, store, weights, factors):
    """Keras's `load_own_variables`: assigns `weights` from the store, zeroes the LoRA factors."""
    if len(store) != len(weights):
        raise ValueError(
            f"Layer {layer.name!r} expected {len(weights)} variables, but received "
            f"{len(store)} variables during loading. Expected: {[w.name for w in weights]}"
        )
    for i, w in enumerate(weights):
        w.assign(store[str(i)])
    with torch.no_grad():
        for f in factors:
            f.zero_()
