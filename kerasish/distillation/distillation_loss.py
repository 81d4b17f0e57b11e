"""Distillation losses: how a student's outputs (or intermediate features) are compared with a
teacher's. Keras 3.15's classes, formulas and configs."""

import torch

from kerasish import losses as losses_module
from kerasish import tree


def _as_loss(item):
    if item is None:
        return None
    if isinstance(item, str):
        return losses_module.get(item)
    return item


def _losses_from(loss):
    converted = tree.map_structure(_as_loss, loss)
    if all(fn is None for fn in tree.flatten(converted)):
        raise ValueError(f"The `loss` argument must contain at least one non-`None` loss. Received: loss={loss!r}")
    return converted


def _sum(values):
    return torch.sum(torch.stack([torch.as_tensor(v, dtype=torch.float32) if not torch.is_tensor(v) else v
                                  for v in values]))


class DistillationLoss:
    """Base class: `compute_loss(teacher_outputs, student_outputs)` returns a scalar.

    `validate_outputs` checks that both have the same structure; `validate_model_compatibility`
    checks the models when the `Distiller` is built.

    Example:

    >>> class SquaredDistillation(keras.distillation.DistillationLoss):
    ...     def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
    ...         return ops.mean(ops.square(teacher_outputs - student_outputs))
    >>> teacher, student = ops.convert_to_tensor([1.0, 2.0]), ops.convert_to_tensor([1.0, 4.0])
    >>> SquaredDistillation().compute_loss(teacher, student)
    tensor(2.)
    """

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        raise NotImplementedError("Subclasses must implement compute_loss")

    def validate_outputs(self, teacher_outputs, student_outputs):
        tree.assert_same_structure(teacher_outputs, student_outputs)

    def validate_model_compatibility(self, teacher, student):
        pass


class FeatureDistillation(DistillationLoss):
    """Matches intermediate features: `mean(loss(teacher_feature, student_feature))`.

    Args:
        loss: a loss (name, function or `Loss`) or a structure of them, one per output (`None`
            skips one). Defaults to `"mse"`.
        teacher_layer_name: the teacher layer whose output is used. Defaults to the final output.
        student_layer_name: the student layer whose output is used. Defaults to the final output.

    Example:

    ```python
    FeatureDistillation(loss="mse", teacher_layer_name="dense_1", student_layer_name="dense_a")
    ```
    """

    def __init__(self, loss="mse", teacher_layer_name=None, student_layer_name=None):
        self.teacher_layer_name = teacher_layer_name
        self.student_layer_name = student_layer_name
        self.loss = _losses_from(loss)

    def validate_model_compatibility(self, teacher, student):
        if self.teacher_layer_name is None and self.student_layer_name is None:
            return
        subclassed = [role for role, model in (("teacher", teacher), ("student", student))
                      if getattr(model, "inputs", None) is None]
        if subclassed:
            raise ValueError(
                "FeatureDistillation with specific layer names requires Functional or Sequential "
                f"models. Received: subclassed {' and '.join(subclassed)} model(s)")
        for role, model, name in (("teacher", teacher, self.teacher_layer_name),
                                  ("student", student, self.student_layer_name)):
            if name is not None:
                try:
                    model.get_layer(name=name)
                except ValueError as e:
                    raise ValueError(f"In {role} model: {e}") from None

    def validate_outputs(self, teacher_outputs, student_outputs):
        super().validate_outputs(teacher_outputs, student_outputs)
        try:
            tree.assert_same_structure(self.loss, teacher_outputs)
        except ValueError as e:
            raise ValueError(f"Loss structure mismatch: the losses and the outputs differ. {e}") from None

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        def apply(fn, teacher, student):
            return 0.0 if fn is None else torch.mean(fn(teacher, student))

        return _sum(tree.flatten(tree.map_structure(apply, self.loss, teacher_outputs, student_outputs)))

    def get_config(self):
        return {"loss": losses_module.serialize(self.loss),
                "teacher_layer_name": self.teacher_layer_name,
                "student_layer_name": self.student_layer_name}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["loss"] = losses_module.deserialize(config["loss"])
        return cls(**config)


class LogitsDistillation(DistillationLoss):
    """Matches softened logits: KL divergence of `softmax(logits / T)` times `T ** 2` (or another
    loss on `logits / T`).

    Args:
        temperature: `T > 0`. Defaults to `3.0`.
        loss: defaults to `"kl_divergence"`; a structure of losses for several outputs.

    Example:

    ```python
    LogitsDistillation(temperature=4.0)
    ```
    """

    def __init__(self, temperature=3.0, loss="kl_divergence"):
        self.temperature = temperature
        self.loss = _losses_from(loss)
        if isinstance(temperature, bool) or not isinstance(temperature, (int, float)):
            raise ValueError(f"`temperature` must be a number. Received: temperature={temperature!r}")
        if temperature <= 0.0:
            raise ValueError(f"`temperature` must be positive. Received: temperature={temperature}")

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        t = self.temperature
        teacher = tree.map_structure(lambda x: x / t, teacher_outputs)
        student = tree.map_structure(lambda x: x / t, student_outputs)

        def apply(fn, teacher_logits, student_logits):
            if fn is None:
                return 0.0
            if isinstance(fn, losses_module.KLDivergence):
                value = torch.mean(fn(torch.softmax(teacher_logits, dim=-1), torch.softmax(student_logits, dim=-1)))
                return value * t ** 2
            return torch.mean(fn(teacher_logits, student_logits))

        return _sum(tree.flatten(tree.map_structure(apply, self.loss, teacher, student)))

    def get_config(self):
        from kerasish.saving.serialization import serialize_keras_object

        return {"temperature": self.temperature, "loss": serialize_keras_object(self.loss)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["loss"] = losses_module.deserialize(config["loss"])
        return cls(**config)
