"""`save_model` / `load_model`: the file format is chosen by the file name, as in Keras.

| suffix | format |
|---|---|
| `.keras` | Keras 3 zip (`config.json`, `metadata.json`, `model.weights.h5`) |
| `.h5`, `.hdf5` | legacy HDF5 (Keras 2 / tf.keras / Keras 3 `save("x.h5")`) |
"""

import os
import zipfile

from kerasish.saving import keras_zip, legacy_h5

_MODEL_WRITERS = {".keras": keras_zip.save_keras, ".h5": legacy_h5.save_model_h5,
                  ".hdf5": legacy_h5.save_model_h5}

_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


def _suffix(filepath):
    return os.path.splitext(os.fspath(filepath))[1].lower()


def save_model(model, filepath, overwrite=True, include_optimizer=True, **kwargs):
    """Saves `model` (architecture, weights, compile config, optimizer state) to `filepath`.

    Args:
        filepath: ends in `.keras` (recommended) or `.h5` (legacy).
        overwrite: whether to replace an existing file. Defaults to `True`.
        include_optimizer: whether to store the optimizer's state. Defaults to `True`.

    Example:

    ```python
    kerasish.saving.save_model(model, "model.keras")
    ```
    """
    kwargs.pop("save_format", None)
    kwargs.pop("zipped", None)
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments passed to `save`: {sorted(kwargs)}")
    writer = _MODEL_WRITERS.get(_suffix(filepath))
    if writer is None:
        raise ValueError(
            "Invalid filepath extension for saving. Please add either a `.keras` extension for the "
            "native Keras format (recommended) or a `.h5` extension. Use `model.export(filepath)` to "
            f"export a model for inference. Received: filepath={filepath}"
        )
    writer(model, filepath, overwrite=overwrite, include_optimizer=include_optimizer)


def _sniff(filepath):
    with open(filepath, "rb") as f:
        head = f.read(8)
    if head == _HDF5_SIGNATURE:
        return "h5"
    if head[:2] == b"PK" or zipfile.is_zipfile(filepath):
        return "keras"
    return None


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved by `model.save` here, by Keras 3, by tf.keras 2.x or Keras 2.

    Args:
        filepath: a `.keras` or `.h5` file.
        custom_objects: dict name -> class/function for custom layers, losses, metrics, ...
        compile: whether to re-compile the model from the saved compile config (and restore the
            optimizer state). Defaults to `True`.
        safe_mode: refuse Python bytecode stored in the file (Lambda layers). Defaults to `True`.

    Example:

    ```python
    model = kerasish.models.load_model("model.keras")
    ```
    """
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise ValueError(f"File not found: filepath={filepath}. Please ensure the file is an accessible "
                         "`.keras` zip file or `.h5` file.")
    kind = _sniff(filepath) if os.path.isfile(filepath) else None
    if kind == "keras":
        return keras_zip.load_keras(filepath, custom_objects, compile, safe_mode)
    if kind == "h5":
        return legacy_h5.load_model_h5(filepath, custom_objects, compile, safe_mode)
    raise ValueError(
        "File format not supported: the file is neither a `.keras` zip archive nor an HDF5 file (it "
        "may be truncated, corrupt, or a SavedModel/TF checkpoint, which kerasish cannot read). "
        f"Received: filepath={filepath}"
    )


def save_weights(model, filepath, overwrite=True, max_shard_size=None, **kwargs):
    """Saves `model`'s weights to a `.weights.h5` file (Keras 3's `keras.saving.save_weights`).

    Same as `model.save_weights(filepath, overwrite)`; Keras's sharded files (`max_shard_size`,
    `.weights.json`) are not written by kerasish and raise `ValueError`.

    Example:

    ```python
    kerasish.saving.save_weights(model, "model.weights.h5")
    ```
    """
    if max_shard_size is not None:
        raise ValueError("Sharded weights files (`max_shard_size`, `.weights.json`) are not "
                         f"supported by kerasish. Received: max_shard_size={max_shard_size!r}")
    if not str(filepath).endswith((".weights.h5", ".h5", ".hdf5")):
        raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={filepath}")
    model.save_weights(filepath, overwrite=overwrite, **kwargs)


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """Loads weights into `model` from a `.weights.h5`, `.keras` or legacy `.h5` file (Keras 3's
    `keras.saving.load_weights`).

    Args:
        model: the model to fill.
        filepath: the file.
        skip_mismatch: skip (with a warning) layers whose weights do not fit.
        by_name: (legacy `.h5` only) match layers by name.

    `objects_to_skip` is not supported and raises `ValueError`.

    Example:

    ```python
    kerasish.saving.load_weights(model, "model.weights.h5")
    ```
    """
    objects_to_skip = kwargs.pop("objects_to_skip", None)
    by_name = kwargs.pop("by_name", None)
    if kwargs:
        raise ValueError(f"Invalid keyword arguments: {sorted(kwargs)}. Received: kwargs={kwargs}")
    if objects_to_skip is not None:
        raise ValueError("`objects_to_skip` is not supported by kerasish's load_weights. "
                         f"Received: objects_to_skip={objects_to_skip!r}")
    path = str(filepath)
    if by_name is not None and not path.endswith((".h5", ".hdf5")) or \
            by_name is not None and path.endswith(".weights.h5"):
        raise ValueError("`by_name` only applies to legacy '.h5' or '.hdf5' files. "
                         f"Received: filepath={filepath}")
    model.load_weights(filepath, skip_mismatch=skip_mismatch, by_name=bool(by_name))
