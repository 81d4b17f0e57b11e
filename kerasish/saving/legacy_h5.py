"""The legacy `.h5` format of Keras 2, tf.keras 2.x and Keras 3's `model.save("x.h5")`.

A model file has root attributes `model_config` and `training_config` (json), `keras_version` and
`backend`, a `model_weights` group with `layer_names` and one group per layer listing its
`weight_names` (datasets at those paths), and an `optimizer_weights` group. A weights-only `.h5`
file is the `model_weights` group at the root. Layers are matched by order (layers with weights
only) or by name; within a layer, weights follow Keras's legacy order (trainable, then
non-trainable), in Keras's layout.
"""

import json
import warnings

import numpy as np
import torch

from kerasish.backend import layouts
from kerasish.saving import atomic, serialization, weights_store
from kerasish.saving.h5_utils import (h5py, load_attributes, load_json_attr, open_h5, read_errors,
                                     save_attributes)

KERAS_VERSION = "3.15.1"


def legacy_weights(layer):
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _weight_names(layer, weights):
    names, used = [], set()
    for i, w in enumerate(weights):
        owner = getattr(w, "_keras_layer", None)
        base = getattr(w, "_keras_name", None) or f"param_{i}"
        name = f"{layer.name}/{base}" if owner in (None, layer.name) else f"{layer.name}/{owner}/{base}"
        while name in used:
            name = f"{name}_{i}"
        used.add(name)
        names.append(name)
    return names


def _write_weights(group, model):
    layers = list(model.layers)
    save_attributes(group, "layer_names", [layer.name for layer in layers])
    group.attrs["backend"] = "torch"
    group.attrs["keras_version"] = KERAS_VERSION
    for layer in layers:
        g = group.create_group(layer.name)
        weights = legacy_weights(layer)
        names = _weight_names(layer, weights)
        save_attributes(g, "weight_names", names)
        for name, w in zip(names, weights):
            g.create_dataset(name, data=layouts.to_keras(w).cpu().numpy())
    top = group.create_group("top_level_model_weights")
    save_attributes(top, "weight_names", [])


def _write_optimizer(f, model):
    opt = model.optimizer
    if opt is None or isinstance(opt, torch.optim.Optimizer) or not getattr(opt, "built", False):
        return
    values = weights_store.optimizer_values(opt)
    group = f.create_group("optimizer_weights")
    names = [f"{opt.name}/{i}" for i in range(len(values))]
    save_attributes(group, "weight_names", names)
    for name, value in zip(names, values):
        group.create_dataset(name, data=np.asarray(value))


def _training_config(model):
    config = serialization.compile_config(model)
    optimizer = config.pop("optimizer")
    if optimizer is not None:
        config["optimizer_config"] = {"class_name": optimizer["class_name"], "config": optimizer["config"]}
    return config


def save_model_h5(model, filepath, overwrite=True, include_optimizer=True):
    """Writes the whole model as a legacy `.h5` file, atomically."""
    model_config = serialization.model_to_dict(model)
    with atomic.atomic_path(filepath, overwrite=overwrite) as tmp:
        with h5py.File(tmp, "w") as f:
            f.attrs["keras_version"] = KERAS_VERSION
            f.attrs["backend"] = "torch"
            f.attrs["model_config"] = json.dumps(model_config, default=serialization.json_default)
            _write_weights(f.create_group("model_weights"), model)
            if model.compiled and include_optimizer:
                f.attrs["training_config"] = json.dumps(_training_config(model),
                                                        default=serialization.json_default)
                _write_optimizer(f, model)


def save_weights_legacy(model, filepath, overwrite=True):
    """Writes a legacy `.h5` weights file (no config), atomically."""
    with atomic.atomic_path(filepath, overwrite=overwrite) as tmp:
        with h5py.File(tmp, "w") as f:
            _write_weights(f, model)


# ------------------------------------------------------------------------------------------- load
def _saved_layers(group):
    """(name, [h5 datasets]) for the saved layers that have weights, in file order; nothing is read
    until the shapes are checked (a dataset may declare any size)."""
    out = []
    for name in load_attributes(group, "layer_names"):
        if name not in group:
            raise ValueError(f"The file lists layer {name!r} but has no group for it: it is truncated "
                             f"or corrupt. Received: layer_names={load_attributes(group, 'layer_names')}")
        g = group[name]
        values = [g[w] for w in load_attributes(g, "weight_names")]
        if values:
            out.append((name, values))
    return out


def _layer_plan(layer, values, skip_mismatch, source):
    """[(weight, saved array)] for one layer, or [] when `skip_mismatch` skips it."""
    weights = legacy_weights(layer)
    problem = None
    if len(weights) != len(values):
        problem = (f"Layer {layer.name!r} expects {len(weights)} weights with shapes "
                   f"{[layouts.keras_shape(w) for w in weights]}, but the saved layer {source!r} has "
                   f"{len(values)} with shapes {[tuple(v.shape) for v in values]}.")
    else:
        for w, v in zip(weights, values):
            if layouts.keras_shape(w) != tuple(v.shape):
                problem = (f"Layer {layer.name!r} weight {getattr(w, 'name', '?')!r} has shape "
                           f"{layouts.keras_shape(w)}, but the saved layer {source!r} holds shape "
                           f"{tuple(v.shape)}.")
                break
    if problem is not None:
        if skip_mismatch:
            warnings.warn(f"Skipping loading weights: {problem}", stacklevel=4)
            return []
        raise ValueError(f"{problem} Received: saved layer {source!r}")
    return list(zip(weights, values))


def load_weights_group(model, group, by_name=False, skip_mismatch=False):
    """Loads a legacy weights group into `model`, by layer order or (`by_name=True`) by name.

    Every layer is checked before the first value is assigned: a mismatch leaves the model as it was.
    """
    saved = _saved_layers(group)
    plan = []
    if by_name:
        by = {}
        for layer in _flat_layers(model):
            by.setdefault(layer.name, []).append(layer)
        for name, values in saved:
            for layer in by.get(name, []):
                plan.extend(_layer_plan(layer, values, skip_mismatch, name))
    else:
        layers = [layer for layer in model.layers if legacy_weights(layer)]
        if len(layers) != len(saved):
            raise ValueError(
                f"Layer count mismatch when loading weights from file: the model has {len(layers)} "
                f"layers with weights ({[layer.name for layer in layers]}), the file has {len(saved)} "
                f"({[name for name, _ in saved]}). Received: {len(saved)} saved layers"
            )
        for layer, (name, values) in zip(layers, saved):
            plan.extend(_layer_plan(layer, values, skip_mismatch, name))
    plan = [(w, np.asarray(v)) for w, v in plan]  # every read done before the first assignment
    for w, v in plan:
        layouts.assign_keras_value(w, v)


def _flat_layers(model):
    return [layer for layer in model._flatten_layers(include_self=False)]


def load_weights_legacy(model, filepath, by_name=False, skip_mismatch=False):
    with open_h5(filepath) as f, read_errors(filepath):
        group = f["model_weights"] if "model_weights" in f else f
        if "layer_names" not in group.attrs and "layer_names0" not in group.attrs:
            raise ValueError(
                "The h5 file has no `layer_names`: it is not a Keras legacy weights file (a Keras 3 "
                f"`.weights.h5` file must be named `*.weights.h5`). Received: filepath={filepath}"
            )
        load_weights_group(model, group, by_name=by_name, skip_mismatch=skip_mismatch)


def load_model_h5(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Reads a legacy `.h5` model file (Keras 3, tf.keras 2.x or Keras 2)."""
    from kerasish.saving import compile_restore

    with open_h5(filepath) as f:
        with read_errors(filepath):
            model_config = load_json_attr(f, "model_config")
            training_config = load_json_attr(f, "training_config")
        if model_config is None:
            raise ValueError(f"No model config found in the file: it holds weights only; build the "
                             f"model and call `load_weights`. Received: filepath={filepath}")
        model = serialization.deserialize_keras_object(model_config, custom_objects=custom_objects,
                                                       safe_mode=safe_mode)
        with read_errors(filepath):
            load_weights_group(model, f["model_weights"])
        if compile and training_config and compile_restore.compile_from_config(
                model, training_config, custom_objects):
            with read_errors(filepath):
                if "optimizer_weights" in f:
                    _load_optimizer(model, f["optimizer_weights"])
    return model


# tf.keras / Keras 2 slot names -> kerasish slot names.
_KERAS2_SLOTS = {"m": "momentum", "v": "velocity", "vhat": "velocity_hat", "rms": "velocity",
                 "mg": "average_gradient", "momentum": "momentum", "velocity": "velocity",
                 "velocity_hat": "velocity_hat", "average_gradient": "average_gradient",
                 "accumulator": "accumulator", "linear": "linear",
                 "accum_grad": "accumulated_grad", "accum_var": "accumulated_delta_var"}
# Keras 2 optimizer scalars kept on kerasish's host (`Optimizer._host_state`): Nadam's product of
# its momentum schedule.
_KERAS2_HOST_SCALARS = ("momentum_cache",)


def _keras2_slot(name):
    """(kerasish slot kind, variable path) of a Keras 2 optimizer weight name, or None."""
    parts = name.split(":")[0].split("/")
    if len(parts) > 2 and parts[1] in _KERAS2_SLOTS and parts[-1] not in _KERAS2_SLOTS:
        return _KERAS2_SLOTS[parts[1]], "/".join(parts[2:])  # tf-keras 2.11+: Adam/m/dense/kernel
    if len(parts) > 2 and parts[-1] in _KERAS2_SLOTS:
        return _KERAS2_SLOTS[parts[-1]], "/".join(parts[1:-1])  # OptimizerV2: SGD/dense/kernel/momentum
    return None


def _from_keras2_layout(opt, names, values):
    """Keras 2's optimizer weights (iteration, slots by name; no learning rate) in kerasish's order."""
    by_kind, host = {}, []
    for name, value in zip(names[1:], values[1:]):
        if name.split(":")[0].split("/")[-1] in _KERAS2_HOST_SCALARS:
            host.append(value)
            continue
        parsed = _keras2_slot(name)
        if parsed is None:
            return None
        by_kind.setdefault(parsed[0], []).append(value)
    wanted = [kind for group in getattr(opt, "_slot_groups", []) for kind, _ in group]
    if set(wanted) != set(by_kind) and len(wanted) == len(by_kind):
        # The same slots under other names (Keras 2's Adamax `v` is kerasish's `norm`); both
        # create them in the same order.
        by_kind = dict(zip(wanted, by_kind.values()))
    slots = []
    for group in getattr(opt, "_slot_groups", []):
        for j in range(len(opt._variables)):
            for kind, _ in group:
                if len(by_kind.get(kind, ())) != len(opt._variables):
                    return None
                slots.append(by_kind[kind][j])
    if len(slots) != len(opt._slots):
        return None
    if len(host) != len(opt._host_state()):
        return None
    head = [values[0]]
    if getattr(opt, "_lr_schedule", None) is None:
        head.append(np.asarray(float(opt._lr_var), dtype="float32"))
    return head + slots + host


def _load_optimizer(model, group):
    names = load_attributes(group, "weight_names")
    values = [group[name] for name in names]  # read once their count and shapes are checked
    opt = model.optimizer
    if not opt.built:
        opt.build(model.trainable_weights)
    expected = len(weights_store.optimizer_values(opt))
    if len(values) != expected and names and _keras2_slot(names[-1]) is not None:
        values = _from_keras2_layout(opt, names, values) or values
    if len(values) != expected:
        warnings.warn(
            f"The optimizer state in the file ({len(values)} variables) does not match the "
            f"{type(opt).__name__} layout ({expected}); the optimizer starts fresh.", stacklevel=3)
        return
    store = {str(i): v for i, v in enumerate(values)}
    weights_store.check_optimizer_state(model, store)
    weights_store.load_optimizer_state(model, store)
