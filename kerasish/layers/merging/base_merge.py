"""`Merge`: the base of the layers that combine a list of tensors elementwise."""

import torch

from kerasish.layers.layer import Layer


def _broadcast_shapes(a, b):
    """Keras's static broadcast of two shapes (`None` where either size is unknown)."""
    if len(a) < len(b):
        a, b = b, a
    out = list(a[:len(a) - len(b)])
    for i, j in zip(a[len(a) - len(b):], b):
        if i is None or j is None:
            out.append(None)
        elif i == 1 or j == 1:
            out.append(j if i == 1 else i)
        elif i != j:
            raise ValueError(f"Inputs have incompatible shapes. Received shapes {tuple(a)} and {tuple(b)}")
        else:
            out.append(i)
    return tuple(out)


class Merge(Layer):
    """Combines a list of at least two tensors with `_merge_function`.

    Inputs of different ranks are aligned as in Keras: the lower-rank ones get size-1 axes
    inserted after the batch axis; other differences broadcast.

    Example:

    >>> class Product(keras.layers.Merge):
    ...     def _merge_function(self, inputs):
    ...         output = inputs[0]
    ...         for x in inputs[1:]:
    ...             output = output * x
    ...         return output
    >>> Product()([ops.convert_to_tensor([[1.0, 2.0]]), ops.convert_to_tensor([[3.0, 4.0]])])
    tensor([[3., 8.]])
    """

    supports_masking = True
    _min_inputs = 2

    def _check_inputs(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not input_shape or \
                not isinstance(input_shape[0], (list, tuple)):
            raise ValueError(
                f"A merge layer should be called on a list of inputs. Received: input_shape={input_shape} "
                "(not a list of shapes)"
            )
        if len(input_shape) < self._min_inputs:
            raise ValueError(
                f"A merge layer should be called on a list of at least {self._min_inputs} inputs. "
                f"Got {len(input_shape)} inputs. Full input_shape received: {input_shape}"
            )

    def build(self, input_shape):
        self._check_inputs(input_shape)
        self.compute_output_shape(input_shape)
        self.built = True

    def _merge_function(self, inputs):
        raise NotImplementedError

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"A merge layer should be called on a list of inputs. Received: inputs={inputs}")
        ranks = [x.ndim for x in inputs]
        if len(set(ranks)) > 1:
            top = max(ranks)
            inputs = [x.reshape((x.shape[0],) + (1,) * (top - x.ndim) + tuple(x.shape[1:]))
                      for x in inputs]
        return self._merge_function(inputs)

    def compute_output_shape(self, input_shape):
        self._check_inputs(input_shape)
        shapes = [tuple(s) for s in input_shape]
        top = max(len(s) for s in shapes)
        shapes = [s[:1] + (1,) * (top - len(s)) + s[1:] if len(s) < top else s for s in shapes]
        batch = [s[0] for s in shapes if s and s[0] is not None]
        out = shapes[0][1:]
        for s in shapes[1:]:
            out = _broadcast_shapes(out, s[1:])
        return ((batch[0] if batch and len(set(batch)) == 1 else None),) + tuple(out)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)) or len(mask) != len(inputs):
            raise ValueError(f"`mask` should be a list of {len(inputs)} masks. Received: mask={mask}")
        masks = [m for m in mask if m is not None]
        if not masks:
            return None
        return torch.stack([m.bool() for m in masks]).all(dim=0)


class _Reducing(Merge):
    """A merge that folds the inputs with one binary torch function."""

    _fold = None

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = type(self)._fold(out, x)
        return out
