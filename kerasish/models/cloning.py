"""`clone_model`: the same architecture with new layers (and freshly initialised weights)."""

from kerasish.layers.core.input_layer import Input, InputLayer
from kerasish.layers.keras_tensor import KerasTensor
from kerasish.models import graph_utils


def _default_clone(layer):
    return type(layer).from_config(layer.get_config())


def clone_model(model, input_tensors=None, clone_function=None):
    """A copy of a `Sequential` or functional model with new layers; weights are not copied.

    Args:
        model: a `Sequential` or functional `Model`.
        input_tensors: optional KerasTensors to build the clone on (functional models).
        clone_function: `layer -> new layer`; defaults to re-creating each layer from its config.

    Example:

    ```python
    twin = kerasish.models.clone_model(model)
    twin.set_weights(model.get_weights())
    ```
    """
    from kerasish.models.functional import Functional
    from kerasish.models.sequential import Sequential

    clone_function = clone_function or _default_clone
    if isinstance(model, Sequential):
        layers = [clone_function(layer) for layer in model.layers]
        if model._input_layer is not None:
            shape = model._input_layer.batch_shape
            layers = [Input(batch_shape=shape, name=model._input_layer.name)] + layers
        clone = Sequential(layers, name=model.name)
        if not clone.built and model.built and getattr(model, "_batch_input_shape", None):
            clone.build(model._batch_input_shape)
        return clone
    if not isinstance(model, Functional):
        raise ValueError(
            "`clone_model` works on Sequential and functional models; a subclassed model is "
            f"Python code. Build a new instance instead. Received: model of type {type(model).__name__}"
        )
    return _clone_functional(model, input_tensors, clone_function)


def _clone_functional(model, input_tensors, clone_function):
    from kerasish.models.functional import Functional

    new_inputs = _new_inputs(model, input_tensors)
    values = {id(old): new for old, new in zip(model._inputs, new_inputs)}
    clones = {}
    for node in model._nodes:
        layer = node.layer
        if node.is_input or isinstance(layer, InputLayer):
            continue
        if id(layer) not in clones:
            clones[id(layer)] = clone_function(layer)
        swap = lambda x: values[id(x)] if isinstance(x, KerasTensor) else x  # noqa: E731
        args = graph_utils.map_leaves(swap, tuple(node.call_args))
        kwargs = graph_utils.map_leaves(swap, dict(node.call_kwargs))
        outputs = clones[id(layer)](*args, **kwargs)
        for old, new in zip(node.output_tensors, graph_utils.flatten(outputs)):
            values[id(old)] = new
    outputs = graph_utils.map_leaves(lambda t: values[id(t)], model._outputs_struct)
    inputs = graph_utils.pack_like(model._inputs_struct, new_inputs) \
        if not isinstance(model._inputs_struct, dict) else \
        {k: new_inputs[i] for i, k in enumerate(sorted(model._inputs_struct))}
    return Functional(inputs, outputs, name=model.name)


def _new_inputs(model, input_tensors):
    if input_tensors is None:
        return [Input(batch_shape=t.shape, dtype=t.dtype, name=t.name) for t in model._inputs]
    flat = graph_utils.flatten(input_tensors, sort_dicts=True)
    if len(flat) != len(model._inputs):
        raise ValueError(
            f"`input_tensors` must provide one tensor per model input ({len(model._inputs)}). "
            f"Received: {len(flat)} tensors"
        )
    return [t if isinstance(t, KerasTensor) else Input(tensor=t) for t in flat]
