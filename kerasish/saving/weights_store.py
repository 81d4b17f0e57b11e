"""The Keras 3 weights tree (`model.weights.h5` inside `.keras`, and `.weights.h5` files).

Keras 3 addresses state by object path: a `Sequential`/`Functional` model lists its layers under
`layers/<name>`, where `<name>` is the snake-case *class* name made unique in order (`dense`,
`dense_1`, ...; not the layer's own name), a layer's sublayers sit under their attribute names
(`layers/lstm/cell`), and each object's own variables are datasets `vars/0`, `vars/1`, ... (trainable
ones first, in creation order). The optimizer's state lives under `optimizer/vars` in Keras's order.
Values are Keras-layout arrays; `kerasish.backend.layouts` converts torch-layout weights.
"""

import re

import numpy as np
import torch

from kerasish.backend import layouts
from kerasish.saving import own_state
from kerasish.utils.naming import to_snake_case

def keras_snake_case(name):
    """Keras's snake case for class names (`Conv2D` -> `conv2d`), which names file paths."""
    return to_snake_case(re.sub(r"\W+", "", name))


def _name_key(name):
    # Keras visits private attributes last.
    return f"~{name}" if name.startswith("_") else name


def _unique(base, used):
    count = used.get(base, 0)
    used[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def _is_graph_model(layer):
    return type(layer).__name__ in ("Sequential", "Functional") or \
        any(c.__name__ in ("Sequential", "Functional") for c in type(layer).__mro__[1:3])


def _attribute_children(layer):
    """(attribute name, layer or list of layers) in Keras's visiting order."""
    from kerasish.layers.layer import Layer

    children = {}
    listed = set()
    for attr, value in vars(layer).items():
        if isinstance(value, dict):  # Keras walks a dict of layers as a list of its values
            value = list(value.values())
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, Layer) for v in value):
            if not attr.startswith("_"):
                children[attr] = list(value)
                listed.update(id(v) for v in value)
    for attr, module in layer._modules.items():
        if isinstance(module, Layer) and id(module) not in listed:
            children[attr] = module
    if hasattr(layer, "layers") and not _is_graph_model(layer) and hasattr(layer, "compile"):
        children["layers"] = list(layer.layers)  # a subclassed Model's `layers` property
    return sorted(children.items(), key=lambda item: _name_key(item[0]))


def walk(model):
    """Yields `(path, layer)` for the model and every sublayer, in Keras's order, each once."""
    seen = set()

    def visit(layer, path):
        if id(layer) in seen:
            return
        seen.add(id(layer))
        yield path, layer
        if _is_graph_model(layer):
            yield from visit_list(layer.layers, _join(path, "layers"))
        for attr, child in _attribute_children(layer):
            if isinstance(child, list):
                yield from visit_list(child, _join(path, attr))
            else:
                yield from visit(child, _join(path, attr))

    def visit_list(layers, path):
        used = {}
        for child in layers:
            yield from visit(child, _join(path, _unique(keras_snake_case(type(child).__name__), used)))

    yield from visit(model, "")


def _join(a, b):
    return f"{a}/{b}" if a else b


def own_weights(layer):
    return list(layer._trainable_created) + list(layer._non_trainable_created)


def save_model_state(model, h5file, include_optimizer=True):
    """Writes every layer's own variables (and the optimizer's state) under Keras's paths."""
    for path, layer in walk(model):
        group = h5file.require_group(_join(path, "vars"))
        group.attrs["name"] = layer.name
        if callable(getattr(layer, "save_own_variables", None)):
            layer.save_own_variables(own_state.H5Store(group))  # the layer's own layout
            continue
        for i, w in enumerate(own_weights(layer)):
            own_state.write_array(group, i, layouts.to_keras(w))
    opt = getattr(model, "optimizer", None)
    if include_optimizer and opt is not None and getattr(opt, "built", False) \
            and not isinstance(opt, torch.optim.Optimizer):
        group = h5file.require_group("optimizer/vars")
        group.attrs["name"] = opt.name
        for i, value in enumerate(optimizer_values(opt)):
            own_state.write_array(group, i, value)


def optimizer_values(opt):
    """The optimizer's state in Keras's order: iteration, learning rate (unless a schedule), slots."""
    if hasattr(opt, "_state_values"):
        return opt._state_values()
    values = [np.asarray(opt._iterations, dtype="int64")]
    if getattr(opt, "_lr_schedule", None) is None:
        values.append(np.asarray(float(opt._lr_var), dtype="float32"))
    return values + [layouts.keras_numpy(v) for v in opt._slots]


def _value(v):
    """A staged value: an h5 dataset (Keras's bfloat16 ones included) or an array."""
    return own_state.read_array(v) if hasattr(v, "attrs") else np.asarray(v)


def load_model_state(model, h5file, load_optimizer=True, skip_mismatch=False, staged=True):
    """Reads the tree `save_model_state` (or Keras 3) wrote into `model`'s variables.

    Every count and shape (the optimizer's too) is checked before the first value is assigned, so a
    mismatch raises with the model exactly as it was. With `staged=True` every value is also read
    before the first is assigned (a file damaged half-way leaves the model unchanged too, at the cost
    of holding one copy of the weights); `load_model`, whose model is new, passes `False`.
    """
    plan, own_loads = [], []
    for path, layer in walk(model):
        weights = own_weights(layer)
        key = _join(path, "vars")
        if callable(getattr(layer, "load_own_variables", None)):
            # The layer reads its own layout (after every other check has passed).
            if key in h5file:
                own_loads.append((layer, h5file[key]))
            continue
        if key not in h5file:
            if weights and not skip_mismatch:
                raise ValueError(
                    f"Layer {layer.name!r} (path {path!r}) has {len(weights)} weights with shapes "
                    f"{[layouts.keras_shape(w) for w in weights]}, but the file has no entry for it. "
                    f"Received: file entries {sorted(h5file.keys())}"
                )
            continue
        plan.extend(_layer_plan(layer, path, h5file[key], weights, skip_mismatch))
    opt = getattr(model, "optimizer", None)
    opt_group = None
    if load_optimizer and "optimizer/vars" in h5file and opt is not None \
            and not isinstance(opt, torch.optim.Optimizer):
        opt_group = h5file["optimizer/vars"]
        check_optimizer_state(model, opt_group)
    if staged:
        plan = [(w, _value(v)) for w, v in plan]
    for w, v in plan:
        layouts.assign_keras_value(w, _value(v))
    for layer, group in own_loads:
        layer.load_own_variables(own_state.H5Store(group))
    if opt_group is not None:
        load_optimizer_state(model, opt_group)


def _layer_plan(layer, path, group, weights, skip_mismatch):
    """[(weight, saved array)] for one layer, or [] when `skip_mismatch` skips it."""
    import warnings

    values = [group[str(i)] for i in range(len(group.keys())) if str(i) in group]
    if len(values) != len(weights):
        message = (f"Layer {layer.name!r} (path {path!r}) expects {len(weights)} weights with shapes "
                   f"{[layouts.keras_shape(w) for w in weights]}, but the file holds {len(values)} "
                   f"with shapes {[tuple(v.shape) for v in values]}.")
        if skip_mismatch:
            warnings.warn(f"Skipping loading weights: {message}", stacklevel=4)
            return []
        raise ValueError(f"{message} Received: {len(values)} saved weights")
    for w, v in zip(weights, values):
        expected = layouts.keras_shape(w)
        if tuple(v.shape) != expected:
            message = (f"Layer {layer.name!r} (path {path!r}) weight {getattr(w, 'name', '?')!r} has "
                       f"shape {expected}, but the saved value has shape {tuple(v.shape)}.")
            if skip_mismatch:
                warnings.warn(f"Skipping loading weights: {message}", stacklevel=4)
                return []
            raise ValueError(f"{message} Received: saved shape {tuple(v.shape)}")
    return list(zip(weights, values))


def check_optimizer_state(model, group):
    """Raises if the saved optimizer state has the optimizer's count of values but other shapes.

    (A different count is skipped with a warning when loading, as Keras does.)
    """
    opt = model.optimizer
    if not opt.built:
        opt.build(model.trainable_weights)
    expected = [np.shape(v) for v in optimizer_values(opt)]
    if len(group.keys()) != len(expected):
        return
    for i, shape in enumerate(expected):
        saved = tuple(np.shape(group[str(i)]))
        if saved != tuple(shape):
            raise ValueError(
                f"The saved state of optimizer {opt.name!r} does not fit the model: its variable {i} "
                f"has shape {tuple(shape)}, the saved one {saved}. Received: saved shape {saved}"
            )


def load_optimizer_state(model, group):
    """Builds the optimizer on the model's trainable weights and loads its saved state."""
    opt = model.optimizer
    if not opt.built:
        opt.build(model.trainable_weights)
    if hasattr(opt, "load_own_variables"):
        opt.load_own_variables(group)
        return
    import warnings

    n = len(group.keys())
    values = optimizer_values(opt)
    if n != len(values):
        warnings.warn(f"Skipping variable loading for optimizer {opt.name!r}: it has {len(values)} "
                      f"variables, the saved one has {n}.", stacklevel=3)
        return
    opt._iterations = int(np.asarray(group["0"]))
    k = 1
    if getattr(opt, "_lr_schedule", None) is None:
        opt._lr_var.assign(np.asarray(group["1"]))
        k = 2
    for j, var in enumerate(opt._slots):
        layouts.assign_keras_value(var, own_state.read_array(group[str(k + j)]))
