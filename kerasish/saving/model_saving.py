"""`ModelSavingMixin`: `save`, `save_weights`, `load_weights` and `export` for `Model`.

A kerasish model is also a `torch.nn.Module`, so `model.state_dict()` / `load_state_dict()` work as
for any module (torch layouts, torch names); the methods here speak Keras's files instead.
"""

import contextlib
import os

from kerasish.saving import export as export_lib
from kerasish.saving import keras_zip, legacy_h5, saving_api


def _is_chief():
    from kerasish.distribute import process_group

    return process_group.is_chief()


@contextlib.contextmanager
def _writer():
    """Whether this process writes files: rank 0 only under torchrun."""
    yield _is_chief()


def _whole_model(model):
    """A context in which the model's variables hold their whole values, yielding whether this
    process writes. Variables split across processes (`kerasish.distribution`) are gathered
    first, which takes every process: a split model is saved by calling `save` on all of them."""
    from kerasish.distribution import sharded

    split = sharded.split_variables(model)
    if not split:
        return _writer()
    return _whole_then_write(sharded.whole_variables(split))


@contextlib.contextmanager
def _whole_then_write(gathered):
    import torch.distributed as dist

    with gathered:
        yield _is_chief()
    # Saving a split model is collective anyway: every rank returns once rank 0 has written,
    # so a `load_model` right after `save` finds the file on every rank.
    dist.barrier()


def _weights_kind(filepath):
    path = os.fspath(filepath).lower()
    if path.endswith(".weights.h5"):
        return "weights.h5"
    if path.endswith((".h5", ".hdf5")):
        return "h5"
    return None


class ModelSavingMixin:
    """Keras's saving methods, mixed into `kerasish.Model`."""

    def save(self, filepath, overwrite=True, include_optimizer=True, **kwargs):
        """Saves the model: architecture, weights, compile config and optimizer state.

        Args:
            filepath: ends in `.keras` (Keras 3's zip, recommended) or `.h5` (legacy HDF5).
            overwrite: whether to replace an existing file. Defaults to `True`.
            include_optimizer: whether to store the optimizer's state. Defaults to `True`.

        The write is atomic: a crash mid-save leaves any previous file intact.

        Example:

        ```python
        model.save("model.keras")
        restored = kerasish.models.load_model("model.keras")
        ```
        """
        with _whole_model(self) as writes:
            if writes:  # under torchrun only rank 0 writes files
                saving_api.save_model(self, filepath, overwrite=overwrite,
                                      include_optimizer=include_optimizer, **kwargs)

    def save_weights(self, filepath, overwrite=True, **kwargs):
        """Saves the weights to `*.weights.h5` (Keras 3) or `*.h5` (legacy layout).

        Example:

        ```python
        model.save_weights("model.weights.h5")
        model.load_weights("model.weights.h5")
        ```
        """
        kwargs.pop("save_format", None)
        kwargs.pop("options", None)
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments passed to `save_weights`: {sorted(kwargs)}")
        kind = _weights_kind(filepath)
        if kind is None:
            raise ValueError(
                "The filename must end in `.weights.h5` (or `.h5` for the legacy layout). "
                f"Received: filepath={filepath}"
            )
        with _whole_model(self) as writes:
            if not writes:
                return  # under torchrun only rank 0 writes files
            if kind == "weights.h5":
                keras_zip.save_weights_h5(self, filepath, overwrite=overwrite)
            else:
                legacy_h5.save_weights_legacy(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False, by_name=False, **kwargs):
        """Loads weights from `*.weights.h5`, a legacy `*.h5` weights file, or a `.keras` file.

        Args:
            skip_mismatch: skip (with a warning) layers whose weight count or shapes differ.
            by_name: (legacy `.h5` only) match layers by name instead of by order.

        Example:

        ```python
        model.load_weights("model.weights.h5")
        ```
        """
        kwargs.pop("options", None)
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments passed to `load_weights`: {sorted(kwargs)}")
        if not os.path.exists(os.fspath(filepath)):
            raise ValueError(f"File not found: filepath={filepath}")
        path = os.fspath(filepath).lower()
        if path.endswith(".keras"):
            keras_zip.load_weights_from_archive(self, filepath, skip_mismatch=skip_mismatch)
        elif _weights_kind(filepath) == "weights.h5" and not by_name:
            keras_zip.load_weights_h5(self, filepath, skip_mismatch=skip_mismatch)
        elif _weights_kind(filepath) is not None:
            legacy_h5.load_weights_legacy(self, filepath, by_name=by_name, skip_mismatch=skip_mismatch)
        else:
            raise ValueError(
                "File format not supported: load_weights reads `.weights.h5`, `.h5` and `.keras` files. "
                f"Received: filepath={filepath}"
            )

    def export(self, filepath, format="onnx", input_signature=None, sample_input=None, **kwargs):
        """Exports the model for inference outside kerasish.

        Args:
            filepath: destination file.
            format: `"onnx"` (`torch.onnx`; needs the `onnx` package) or `"torch"` (a
                `torch.export` program saved with `torch.export.save`, usually `*.pt2`).
            input_signature: optional list of input shapes (batch dimension first; `None` dims are
                exported as dynamic), used when `sample_input` is not given.
            sample_input: optional example input (array or tensor, or a list for several inputs).

        Example:

        ```python
        model.export("model.onnx", format="onnx")
        program = torch.export.load("model.pt2")  # after model.export("model.pt2", format="torch")
        ```
        """
        export_lib.export_model(self, filepath, format=format, input_signature=input_signature,
                                sample_input=sample_input, **kwargs)
