"""The `.keras` format: a zip of `config.json`, `metadata.json` and `model.weights.h5` (Keras 3).

Only json and h5py read the archive: nothing in it is unpickled or executed (a Lambda's bytecode is
refused unless `safe_mode=False`), nothing is extracted to disk, and members are read with bounded
memory (`zip_reader`: capped `config.json`, streamed weights, decompression bombs refused).
"""

import contextlib
import datetime
import json
import os
import shutil
import tempfile
import time
import zipfile
import zlib

from kerasish.saving import atomic, own_state, serialization, weights_store, zip_reader
from kerasish.saving.h5_utils import h5py, open_h5, read_errors

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.h5"
# The Keras version the files claim to come from; Keras 3 reads files of its own major version.
KERAS_VERSION = "3.15.1"


def save_keras(model, filepath, overwrite=True, include_optimizer=True):
    """Writes `model` as a `.keras` zip, atomically."""
    config = serialization.model_to_dict(model)
    if hasattr(model, "compiled"):  # a model; a saved layer (FeatureSpace) has no such key
        config["compile_config"] = serialization.compile_config(model) if model.compiled else None
    config_json = json.dumps(config, default=serialization.json_default)
    metadata = json.dumps({"keras_version": KERAS_VERSION,
                           "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")})
    with atomic.atomic_path(filepath, overwrite=overwrite) as tmp, \
            tempfile.TemporaryFile(dir=os.path.dirname(tmp)) as weights:
        # The weights go through an unnamed file on the destination's disk, not memory (a kill
        # leaves nothing behind), then stream into the archive.
        with h5py.File(weights, "w") as f:
            weights_store.save_model_state(model, f, include_optimizer=include_optimizer)
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as z:
            z.writestr(METADATA, metadata)
            z.writestr(CONFIG, config_json)
            _write_member(z, WEIGHTS, weights)
            own_state.save_assets(weights_store.walk(model), z)


def _write_member(z, name, source):
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.file_size = source.seek(0, os.SEEK_END)  # sizes it for zip64 when over 4 GiB
    source.seek(0)
    with z.open(info, "w") as dest:
        shutil.copyfileobj(source, dest, 1 << 20)


_ARCHIVE_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, RuntimeError,
                   NotImplementedError, UnicodeDecodeError, json.JSONDecodeError, zlib.error)


@contextlib.contextmanager
def _archive_errors(filepath):
    """zipfile's, zlib's and json's errors as one `ValueError` that names the file."""
    try:
        yield
    except _ARCHIVE_ERRORS as e:
        raise ValueError(
            f"Could not read the `.keras` file: it is truncated, corrupt or not a Keras zip archive "
            f"({type(e).__name__}: {e}). Received: filepath={filepath}"
        ) from e


@contextlib.contextmanager
def _open_archive(filepath):
    """`(zip, config dict)`; `config.json` is read through `zip_reader.CONFIG_LIMIT`."""
    with _archive_errors(filepath):
        z = zipfile.ZipFile(filepath, "r")
    try:
        names = set(z.namelist())
        if CONFIG not in names:
            raise ValueError(f"The archive has no {CONFIG}, so it is not a `.keras` model file. "
                             f"Received: filepath={filepath} with members {sorted(names)[:20]}")
        with _archive_errors(filepath):
            config = json.loads(
                zip_reader.read_capped(z, CONFIG, zip_reader.CONFIG_LIMIT, filepath).decode("utf-8"))
        yield z, config
    finally:
        z.close()


@contextlib.contextmanager
def _weights_file(z, filepath):
    """The archive's weights as an open h5 file (None when it has none), streamed, never read whole."""
    if WEIGHTS not in z.NameToInfo:
        yield None
        return
    with contextlib.ExitStack() as stack:
        with _archive_errors(filepath):
            source = stack.enter_context(zip_reader.member_file(z, WEIGHTS, filepath))
        yield stack.enter_context(open_h5(source, filepath))


def load_keras(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Reads a `.keras` file (written here or by Keras 3) into a kerasish model."""
    from kerasish.saving import compile_restore

    with _open_archive(filepath) as (z, config):
        compile_config = config.get("compile_config")
        model = serialization.deserialize_keras_object(config, custom_objects=custom_objects,
                                                       safe_mode=safe_mode)
        compiled = compile and compile_config and compile_restore.compile_from_config(
            model, compile_config, custom_objects)
        with _weights_file(z, filepath) as f, read_errors(filepath):
            if f is not None:
                weights_store.load_model_state(model, f, load_optimizer=bool(compiled),
                                                staged=False)
        with _archive_errors(filepath):
            own_state.load_assets(weights_store.walk(model), z, filepath)
    return model


def save_weights_h5(model, filepath, overwrite=True):
    """Writes a Keras 3 `.weights.h5` file (the weights tree without config), atomically."""
    with atomic.atomic_path(filepath, overwrite=overwrite) as tmp:
        with h5py.File(tmp, "w") as f:
            weights_store.save_model_state(model, f, include_optimizer=True)


def load_weights_h5(model, filepath, skip_mismatch=False):
    with open_h5(filepath) as f, read_errors(filepath):
        if "model_weights" in f or "layer_names" in f.attrs:
            raise ValueError(
                "This file is a legacy Keras `.h5` weights file, not a `.weights.h5` file; rename it "
                f"to end in `.h5`. Received: filepath={filepath}"
            )
        weights_store.load_model_state(model, f, load_optimizer=model.compiled,
                                       skip_mismatch=skip_mismatch)


def load_weights_from_archive(model, filepath, skip_mismatch=False):
    """Loads only the weights of a `.keras` file into an existing model."""
    with _open_archive(filepath) as (z, _), _weights_file(z, filepath) as f, read_errors(filepath):
        if f is None:
            raise ValueError(f"The `.keras` file holds no weights. Received: filepath={filepath}")
        weights_store.load_model_state(model, f, load_optimizer=False, skip_mismatch=skip_mismatch)
