"""Re-compiling a loaded model from a saved compile config (Keras 3) or training config (legacy h5).

Keras 2 and tf.keras wrote their own spellings: `optimizer_config` with `lr`, `decay` and
`is_legacy_optimizer`; metrics as `MeanMetricWrapper` dicts, nested per output. They are translated
here to what `compile()` takes.
"""

import warnings

from kerasish import losses, optimizers
from kerasish.saving import serialization

# Keras 2 optimizer class names (and module-qualified ones) -> kerasish's.
_OPTIMIZER_ALIASES = {"Custom>Adam": "Adam", "Custom>SGD": "SGD", "Custom>RMSprop": "RMSprop"}

# Metric wrapper classes whose real identity is their `fn` or `name`.
_METRIC_WRAPPERS = ("MeanMetricWrapper", "SumOverBatchSizeMetricWrapper")


def _optimizer_from_config(config, custom_objects):
    if config is None:
        return "rmsprop"
    if isinstance(config, str):
        return config
    config = dict(config)
    name = config.get("class_name", "")
    config["class_name"] = _OPTIMIZER_ALIASES.get(name, name.split(">")[-1].split(".")[-1])
    config["registered_name"] = None
    return optimizers.deserialize(config, custom_objects)


def _metric_spec(spec):
    if isinstance(spec, dict) and "class_name" in spec:
        if spec["class_name"] in _METRIC_WRAPPERS:
            inner = spec.get("config") or {}
            return inner.get("fn") or inner.get("name")
        return spec
    if isinstance(spec, dict):
        return {k: _metric_spec(v) for k, v in spec.items()}
    if isinstance(spec, list):
        items = [_metric_spec(v) for v in spec]
        # Keras 2 wrote one list per output; a single output's list is the plain list.
        if len(items) == 1 and isinstance(items[0], list):
            return items[0]
        return items
    return spec


def _loss_spec(spec, custom_objects):
    if isinstance(spec, dict) and "class_name" in spec:
        return losses.deserialize(spec, custom_objects)
    if isinstance(spec, dict):
        return {k: _loss_spec(v, custom_objects) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_loss_spec(v, custom_objects) for v in spec]
    return spec


def compile_from_config(model, config, custom_objects=None):
    """Compiles `model` from a Keras 3 `compile_config` or a legacy h5 `training_config`.

    Returns whether the model was compiled; a config that cannot be honoured warns and leaves the
    model uncompiled (as Keras does), since the architecture and weights are still usable.
    """
    if not config:
        return False
    config = serialization.from_keras_tree(config)
    opt_config = config.get("optimizer", config.get("optimizer_config"))
    try:
        with serialization._deserialization_scope(custom_objects, True):
            optimizer = _optimizer_from_config(opt_config, custom_objects)
            model.compile(
                optimizer=optimizer,
                loss=_loss_spec(config.get("loss"), custom_objects),
                metrics=_metric_spec(config.get("metrics")),
                loss_weights=config.get("loss_weights"),
                weighted_metrics=_metric_spec(config.get("weighted_metrics")),
                run_eagerly=bool(config.get("run_eagerly", False)),
                steps_per_execution=config.get("steps_per_execution", 1) or 1,
            )
    except (ValueError, TypeError) as e:
        warnings.warn(
            f"The saved model could not be compiled from its training configuration ({e}); it is "
            "returned uncompiled. Call `model.compile(...)` before training.",
            stacklevel=3,
        )
        return False
    return True
