"""A layer's own saving hooks (Keras 3): `save_own_variables(store)` / `load_own_variables(store)`
replace the default list of variables under the layer's `vars` group, and `save_assets(dir)` /
`load_assets(dir)` keep files under `assets/<layer path>/` in the `.keras` zip (Keras's layout)."""

import os
import tempfile

import numpy as np
import torch

from kerasish.backend import numpy_dtypes
from kerasish.backend.layouts import to_numpy_copy

ASSETS = "assets"


class H5Store:
    """The `store` a layer's hooks get: a mapping of names to arrays over the layer's h5 group."""

    def __init__(self, group):
        self._group = group

    def __setitem__(self, key, value):
        if isinstance(value, torch.Tensor):
            value = value.numpy() if hasattr(value, "_keras_view") else to_numpy_copy(value)
        write_array(self._group, key, value)

    def __getitem__(self, key):
        return read_array(self._group[str(key)])

    def __contains__(self, key):
        return str(key) in self._group

    def __len__(self):
        return len(self._group.keys())

    def keys(self):
        return list(self._group.keys())

    def items(self):
        return [(k, self[k]) for k in self.keys()]


def write_array(group, key, value):
    """`group[key] = value` as Keras writes it: a bfloat16 array is an opaque 2-byte dataset
    with the attribute `dtype="bfloat16"` (h5py has no bfloat16)."""
    if isinstance(value, torch.Tensor):
        value = to_numpy_copy(value)
    value = np.asarray(value)
    if value.dtype.name == "bfloat16":
        dataset = group.create_dataset(str(key), data=value)
        dataset.attrs["dtype"] = "bfloat16"
    else:
        group.create_dataset(str(key), data=value)


def read_array(dataset):
    """A dataset's value; Keras's bfloat16 datasets come back as ml_dtypes bfloat16 arrays."""
    if dataset.attrs.get("dtype") == "bfloat16":
        return numpy_dtypes.from_bits(np.asarray(dataset), "bfloat16")
    return np.asarray(dataset)


def save_assets(walked, zip_file):
    """Runs every `save_assets` into a temporary folder and adds what it wrote to the archive."""
    layers = [(path, layer) for path, layer in walked if callable(getattr(layer, "save_assets", None))]
    if not layers:
        return
    with tempfile.TemporaryDirectory() as root:
        for path, layer in layers:
            folder = os.path.join(root, *path.split("/")) if path else root
            os.makedirs(folder, exist_ok=True)
            layer.save_assets(folder)
        for dirpath, _, files in os.walk(root):
            for name in files:
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                zip_file.write(full, f"{ASSETS}/{rel}")


def load_assets(walked, zip_file, filepath):
    """Extracts each layer's `assets/<path>/` files into a temporary folder for its `load_assets`.
    Member names are checked: nothing is written outside that folder."""
    layers = [(path, layer) for path, layer in walked if callable(getattr(layer, "load_assets", None))]
    if not layers:
        return
    names = zip_file.namelist()
    with tempfile.TemporaryDirectory() as root:
        for path, layer in layers:
            prefix = f"{ASSETS}/{path}/" if path else f"{ASSETS}/"
            folder = os.path.join(root, *path.split("/")) if path else root
            os.makedirs(folder, exist_ok=True)
            for name in names:
                if name.startswith(prefix) and not name.endswith("/"):
                    _extract(zip_file, name, folder, name[len(prefix):], filepath)
            layer.load_assets(folder)


def _extract(zip_file, name, folder, relative, filepath):
    parts = relative.split("/")
    if any(p in ("", ".", "..") or "\\" in p or ":" in p for p in parts):
        raise ValueError(f"The `.keras` file has an asset with an unsafe name: {name!r}. "
                         f"Received: filepath={filepath}")
    target = os.path.join(folder, *parts)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with zip_file.open(name) as src, open(target, "wb") as dst:
        while True:
            chunk = src.read(1 << 20)
            if not chunk:
                break
            dst.write(chunk)



