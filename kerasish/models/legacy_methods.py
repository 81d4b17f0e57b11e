"""Keras 1/2 `Model` methods that Keras 3 removed: `fit_generator`, `predict_classes`, ...

They are thin: each forwards to `fit`/`evaluate`/`predict`, which accept generators and
`Sequence`s directly. Keras 1 argument names (`samples_per_epoch`, `nb_epoch`, `nb_val_samples`,
`nb_worker`, `pickle_safe`, `max_q_size`) are converted with a warning, as Keras 2 converted them.
"""

import warnings

import numpy as np

# Keras 1 name -> Keras 2 name, for the generator methods (Keras 2 renamed them the same way).
_GENERATOR_RENAMES = {
    "samples_per_epoch": "steps_per_epoch",
    "nb_epoch": "epochs",
    "nb_val_samples": "validation_steps",
    "val_samples": "steps",
    "nb_worker": "workers",
    "pickle_safe": "use_multiprocessing",
    "max_q_size": "max_queue_size",
}
# Accepted for compatibility; torch input pipelines are chosen by the data, not by these.
_IGNORED = ("max_queue_size", "workers", "use_multiprocessing")


def _convert_legacy(method, kwargs):
    converted = {}
    for old, new in _GENERATOR_RENAMES.items():
        if old in kwargs:
            if new in kwargs:
                raise TypeError(f"`{method}` got both {old!r} and its Keras 2 name {new!r}. "
                                f"Received: {old}={kwargs[old]!r}, {new}={kwargs[new]!r}")
            converted[new] = kwargs.pop(old)
    if converted:
        warnings.warn(
            f"Update your `{method}` call to the Keras 2 API: "
            f"`{method}({', '.join(f'{k}={v!r}' for k, v in converted.items())})`. Note that the "
            "step arguments now count batches, not samples.",
            UserWarning, stacklevel=3)
    kwargs.update(converted)
    for name in _IGNORED:
        kwargs.pop(name, None)
    return kwargs


class LegacyModelMethods:
    """Mixin for `Model`: the Keras 2 generator methods and `Sequential`'s `predict_classes`."""

    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, verbose=1, callbacks=None,
                      validation_data=None, validation_steps=None, validation_freq=1,
                      class_weight=None, shuffle=True, initial_epoch=0, **kwargs):
        """Keras 2's `fit_generator`: `fit` on a generator, `Sequence` or `DataLoader`.

        Example:

        ```python
        def batches():
            while True:
                yield x_train[:32], y_train[:32]
        model.fit_generator(batches(), steps_per_epoch=10, epochs=2)
        ```
        """
        kwargs = _convert_legacy("fit_generator", kwargs)
        steps_per_epoch = kwargs.pop("steps_per_epoch", steps_per_epoch)
        validation_steps = kwargs.pop("validation_steps", validation_steps)
        return self.fit(generator, steps_per_epoch=steps_per_epoch, epochs=kwargs.pop("epochs", epochs),
                        verbose=verbose, callbacks=callbacks, validation_data=validation_data,
                        validation_steps=validation_steps, validation_freq=validation_freq,
                        class_weight=class_weight, shuffle=shuffle, initial_epoch=initial_epoch,
                        **kwargs)

    def evaluate_generator(self, generator, steps=None, callbacks=None, verbose=0, **kwargs):
        """Keras 2's `evaluate_generator`: `evaluate` on a generator or `Sequence`."""
        kwargs = _convert_legacy("evaluate_generator", kwargs)
        return self.evaluate(generator, steps=kwargs.pop("steps", steps), callbacks=callbacks,
                             verbose=verbose, **kwargs)

    def predict_generator(self, generator, steps=None, callbacks=None, verbose=0, **kwargs):
        """Keras 2's `predict_generator`: `predict` on a generator or `Sequence`."""
        kwargs = _convert_legacy("predict_generator", kwargs)
        return self.predict(generator, steps=kwargs.pop("steps", steps), callbacks=callbacks,
                            verbose=verbose, **kwargs)

    def reset_states(self):
        """Keras 2's `Model.reset_states()`: resets every stateful layer in the model (others are left
        alone), as scripts do between epochs or sequences.

        Example:

        ```python
        for epoch in range(epochs):
            model.fit(x, y, batch_size=batch_size, epochs=1, shuffle=False)
            model.reset_states()
        ```
        """
        for layer in self._flatten_layers(include_self=False):
            if getattr(layer, "stateful", False) and hasattr(layer, "reset_states"):
                layer.reset_states()

    def predict_classes(self, x, batch_size=32, verbose=0):
        """Class predictions: the argmax over the last axis, or `output > 0.5` for one unit.

        Example:

        ```python
        labels = model.predict_classes(x_test)
        ```
        """
        proba = self.predict(x, batch_size=batch_size, verbose=verbose)
        if proba.shape[-1] > 1:
            return proba.argmax(axis=-1)
        return (proba > 0.5).astype("int32")

    def predict_proba(self, x, batch_size=32, verbose=0):
        """The model's output, expected to be probabilities (warns when it lies outside [0, 1])."""
        proba = self.predict(x, batch_size=batch_size, verbose=verbose)
        if np.size(proba) and (np.min(proba) < 0.0 or np.max(proba) > 1.0):
            warnings.warn("Network returning invalid probability values. The last layer might not "
                          "normalize predictions into probabilities (like softmax or sigmoid would).",
                          stacklevel=2)
        return proba
