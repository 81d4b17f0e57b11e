"""`Distiller`: a model that trains its student on a weighted sum of the student's own loss and
distillation losses against a frozen teacher (Keras 3.15's rules and configs)."""

import torch

from kerasish import metrics as metrics_module
from kerasish import tree
from kerasish.distillation.distillation_loss import _as_loss
from kerasish.models import Model, Sequential


def _check_shapes(a, b, context):
    if len(a) != len(b) or any(x is not None and y is not None and x != y for x, y in zip(a, b)):
        raise ValueError(f"Teacher and student {context} shapes are incompatible. All dimensions "
                         f"must match. Received: teacher={tuple(a)}, student={tuple(b)}")


def _validate_models(teacher, student):
    for role, model in (("teacher", teacher), ("student", student)):
        if not isinstance(model, Model):
            raise ValueError(f"The {role} must be a kerasish Model. Received: {role}={model!r}")
    for attr in ("inputs", "outputs"):
        ours, theirs = getattr(teacher, attr, None), getattr(student, attr, None)
        if ours is None or theirs is None:
            continue
        tree.map_structure(lambda t, s: _check_shapes(t.shape, s.shape, attr[:-1]), ours, theirs)
        tree.map_structure(lambda t, s: _check_dtype(t.dtype, s.dtype, attr[:-1]), ours, theirs)


def _check_dtype(a, b, context):
    if a != b:
        raise ValueError(f"Teacher and student {context} dtypes must match. "
                         f"Received: teacher={a}, student={b}")


class Distiller(Model):
    """Knowledge distillation: `fit` trains `student` on
    `student_loss_weight * loss(y, student(x)) + (1 - student_loss_weight) * sum(w_i * d_i)`,
    the `d_i` being the distillation losses between the (frozen) teacher and the student.

    Args:
        teacher: a trained model; frozen here.
        student: the model to train; `Distiller(x)` calls it.
        distillation_losses: a `DistillationLoss` or a list of them.
        distillation_loss_weights: one weight per distillation loss. Defaults to 1 each.
        student_loss_weight: in `[0, 1]`. Defaults to `0.5`.
        name: defaults to `"distiller"`.

    `compile(optimizer, loss, metrics)` takes the student's loss (required). Logs add
    `student_loss`, `distillation_loss` and `total_loss`.

    Example:

    ```python
    distiller = kerasish.distillation.Distiller(
        teacher, student, kerasish.distillation.LogitsDistillation(temperature=3.0))
    distiller.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    distiller.fit(x, y, epochs=3)
    ```
    """

    def __init__(self, teacher, student, distillation_losses, distillation_loss_weights=None,
                 student_loss_weight=0.5, name="distiller", **kwargs):
        super().__init__(name=name, **kwargs)
        _validate_models(teacher, student)
        self.teacher = teacher
        self.student = student
        if isinstance(student_loss_weight, bool) or not isinstance(student_loss_weight, (int, float)) \
                or not 0.0 <= student_loss_weight <= 1.0:
            raise ValueError("`student_loss_weight` must be a number between 0.0 and 1.0. "
                             f"Received: student_loss_weight={student_loss_weight!r}")
        self.student_loss_weight = student_loss_weight
        if distillation_losses is None:
            raise ValueError("`distillation_losses` cannot be None: give a LogitsDistillation, a "
                             "FeatureDistillation or a list of them. Received: distillation_losses=None")
        if not isinstance(distillation_losses, (list, tuple)):
            distillation_losses, distillation_loss_weights = [distillation_losses], [1.0]
        if distillation_loss_weights is None:
            distillation_loss_weights = [1.0] * len(distillation_losses)
        if len(distillation_loss_weights) != len(distillation_losses):
            raise ValueError("One weight per distillation loss is needed. Received: "
                             f"{len(distillation_loss_weights)} weights for {len(distillation_losses)} losses")
        self.distillation_losses = list(distillation_losses)
        self.distillation_loss_weights = list(distillation_loss_weights)
        for loss in self.distillation_losses:
            loss.validate_model_compatibility(teacher, student)
        self._teacher_features = self._feature_extractor(teacher, "teacher_layer_name")
        self._student_features = self._feature_extractor(student, "student_layer_name")
        self.teacher.trainable = False
        self.student_loss_tracker = metrics_module.Mean(name="student_loss")
        self.distillation_loss_tracker = metrics_module.Mean(name="distillation_loss")
        self.total_loss_tracker = metrics_module.Mean(name="total_loss")

    def _feature_extractor(self, model, attr):
        names = []
        for loss in self.distillation_losses:
            name = getattr(loss, attr, None)
            if name and name not in names:
                names.append(name)
        if not names:
            return None
        final = model.layers[-1].output if isinstance(model, Sequential) else model.output
        outputs = {"final_output": final}
        outputs.update({n: model.get_layer(name=n).output for n in names})
        return Model(inputs=model.inputs, outputs=outputs, name=f"{model.name}_multi_feature_extractor")

    def compile(self, optimizer="adam", loss=None, metrics=None, **kwargs):
        if loss is None:
            raise ValueError("`loss` (the student's loss) cannot be None. Received: loss=None")
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            raise ValueError(f"`metrics` must be a list or tuple. Received: metrics={metrics!r}")
        self._student_loss = tree.map_structure(_as_loss, loss)
        self._student_loss_for_serialization = loss
        super().compile(optimizer=optimizer, loss=None, metrics=metrics, **kwargs)

    def call(self, inputs, training=None):
        return self.student(inputs, training=training)

    def _features(self, extractor, model, x, y_pred, training):
        if extractor is not None:
            return extractor(x, training=training)
        return {"final_output": model(x, training=False) if y_pred is None else y_pred}

    def _distillation_term(self, x, y_pred):
        teacher = self._features(self._teacher_features, self.teacher, x, None, False)
        student = self._features(self._student_features, self.student, x, y_pred, True)
        total = 0.0
        for loss, weight in zip(self.distillation_losses, self.distillation_loss_weights):
            if getattr(loss, "teacher_layer_name", None) is not None:
                t_out = teacher[loss.teacher_layer_name]
                s_out = student[getattr(loss, "student_layer_name", None) or "final_output"]
            else:
                t_out, s_out = teacher["final_output"], y_pred
            loss.validate_outputs(t_out, s_out)
            value = loss.compute_loss(t_out, s_out)
            if torch.is_tensor(value) and value.ndim > 0:
                raise ValueError(f"{type(loss).__name__}.compute_loss must return a scalar. "
                                 f"Received: shape={tuple(value.shape)}")
            total = total + weight * value
        return total

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        if y_pred is None:
            y_pred = self(x, training=training)
        student_loss = 0.0
        if self.student_loss_weight > 0.0 and y is not None:
            values = tree.flatten(tree.map_structure(lambda fn, t, p: fn(t, p), self._student_loss, y, y_pred))
            student_loss = torch.sum(torch.stack(values)) if len(values) > 1 else values[0]
            if torch.is_tensor(student_loss) and student_loss.ndim > 0:
                student_loss = torch.mean(student_loss)
        distillation_loss = self._distillation_term(x, y_pred) if self.student_loss_weight < 1.0 else 0.0
        w = self.student_loss_weight
        total = w * student_loss + (1.0 - w) * distillation_loss
        for tracker, value in ((self.student_loss_tracker, student_loss),
                               (self.distillation_loss_tracker, distillation_loss),
                               (self.total_loss_tracker, total)):
            tracker.update_state(value.detach() if torch.is_tensor(value) else value)
        return total

    def reset_metrics(self):
        super().reset_metrics()
        for tracker in (self.student_loss_tracker, self.distillation_loss_tracker, self.total_loss_tracker):
            tracker.reset_state()

    def get_config(self):
        from kerasish.saving.serialization import serialize_keras_object

        return {"name": self.name, "trainable": self.trainable,
                "teacher": serialize_keras_object(self.teacher),
                "student": serialize_keras_object(self.student),
                "distillation_losses": [_serialize_loss(l) for l in self.distillation_losses],
                "distillation_loss_weights": self.distillation_loss_weights,
                "student_loss_weight": self.student_loss_weight}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from kerasish.saving.serialization import deserialize_keras_object

        config = dict(config)
        config["teacher"] = deserialize_keras_object(config["teacher"], custom_objects)
        config["student"] = deserialize_keras_object(config["student"], custom_objects)
        config["distillation_losses"] = [_deserialize_loss(l) for l in config["distillation_losses"]]
        config.pop("trainable", None)
        return cls(**config)


def _serialize_loss(loss):
    return {"module": "keras.distillation", "class_name": type(loss).__name__,
            "config": loss.get_config(), "registered_name": None}


def _deserialize_loss(config):
    from kerasish import distillation

    cls = getattr(distillation, config.get("class_name", ""), None)
    if cls is None or not isinstance(cls, type):
        raise ValueError(f"Unknown distillation loss. Received: class_name={config.get('class_name')!r}")
    return cls.from_config(config["config"])
