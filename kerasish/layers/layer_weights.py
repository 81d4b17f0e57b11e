"""`LayerWeightsMixin`: a layer's weights as Keras lists them (`weights`, `trainable_weights`,
`get_weights`/`set_weights` in Keras's layouts, `count_params`). The weights themselves are created
by `Layer.add_weight` and registered as the module's parameters."""

import numpy as np
import torch

from kerasish.backend import layouts


class LayerWeightsMixin:
    """Reads and writes the weights a `Layer` created (trainable ones first, as created), then those
    of its sublayers; a plain `nn.Module` child contributes its `parameters()`."""

    @property
    def weights(self):
        """All weights: this layer's (trainable ones first, as created) then its sublayers'."""
        out, seen = [], set()
        for w in self._trainable_created + self._non_trainable_created:
            if id(w) not in seen:
                seen.add(id(w))
                out.append(w)
        for child in self.children():
            ws = child.weights if isinstance(child, LayerWeightsMixin) else list(child.parameters())
            for w in ws:
                if id(w) not in seen:
                    seen.add(id(w))
                    out.append(w)
        return out

    @property
    def variables(self):
        return self.weights

    @property
    def trainable_weights(self):
        return [w for w in self.weights if w.requires_grad]

    @property
    def non_trainable_weights(self):
        return [w for w in self.weights if not w.requires_grad]

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def get_weights(self):
        """The weights as numpy arrays in Keras's layout: copies, which training does not change."""
        return [layouts.keras_numpy(w) for w in self.weights]

    def set_weights(self, weights):
        """Sets the weights from numpy arrays in Keras's layout (the order of `get_weights`)."""
        params = self.weights
        weights = list(weights)
        if len(params) != len(weights):
            raise ValueError(
                f"Layer {self.name!r} expected {len(params)} weights, but received {len(weights)} "
                f"weights. Expected shapes: {[layouts.keras_shape(p) for p in params]}"
            )
        for p, value in zip(params, weights):
            expected = layouts.keras_shape(p)
            value = np.asarray(value) if not torch.is_tensor(value) else value
            if tuple(value.shape) != expected:
                raise ValueError(
                    f"Layer {self.name!r} weight {getattr(p, '_keras_name', '?')!r} has shape "
                    f"{expected}, which is not compatible with the provided weight shape "
                    f"{tuple(value.shape)}."
                )
        for p, value in zip(params, weights):
            layouts.assign_keras_value(p, value)

    def count_params(self):
        if not self.built and not self.weights:
            raise ValueError(
                f"You tried to call `count_params` on layer {self.name!r}, but the layer isn't "
                "built. You can build it manually via: `layer.build(input_shape)`."
            )
        # The whole variables' sizes (a variable split across processes holds a shard).
        return int(sum(int(np.prod(layouts.keras_shape(w))) for w in self.weights))
