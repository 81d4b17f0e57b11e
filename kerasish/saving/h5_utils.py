"""h5py access with clear errors, and HDF5 attribute helpers shared by the h5 formats."""

import contextlib
import json

import numpy as np


class _LazyH5py:
    """`h5py`, imported on first use: it costs ~10% of `import kerasish` and only saving needs it."""

    def __getattr__(self, name):
        import h5py

        return getattr(h5py, name)


def _h5py_available():
    try:
        import h5py  # noqa: F401
    except ImportError:  # pragma: no cover - h5py is a runtime dependency
        return False
    return True


h5py = _LazyH5py()

# HDF5 object headers hold at most 64 KB of attributes; Keras splits long name lists.
_HDF5_ATTR_LIMIT = 64512


def require_h5py():
    if not _h5py_available():
        raise ImportError("Saving to and loading from h5 files needs h5py: `pip install h5py`.")


@contextlib.contextmanager
def open_h5(source, name=None):
    """Opens an h5 file for reading; a truncated/corrupt/non-h5 file raises `ValueError`."""
    require_h5py()
    try:
        f = h5py.File(source, "r")
    except (OSError, ValueError) as e:
        raise ValueError(
            f"Could not open the file as HDF5: it is truncated, corrupt or not an h5 file ({e}). "
            f"Received: filepath={name or source}"
        ) from e
    try:
        yield f
    finally:
        f.close()


@contextlib.contextmanager
def read_errors(filepath):
    """h5py's errors while reading an opened file (a damaged object header, a truncated dataset, bad
    json in an attribute) as one `ValueError` naming the file. Use it only around reads: nothing is
    assigned to a model until every value has been read."""
    try:
        yield
    except (OSError, RuntimeError, KeyError, json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ValueError(
            f"Could not read the h5 data: the file is truncated or corrupt ({type(e).__name__}: {e}). "
            f"Received: filepath={filepath}"
        ) from e


def _decode(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value


def save_attributes(group, name, values):
    """Writes a list of strings as `name`, or as `name0`, `name1`, ... when it is too large."""
    data = np.asarray([v.encode("utf-8") for v in values], dtype="S") if values else \
        np.asarray([], dtype="S1")
    n_chunks = 1
    while data.nbytes / n_chunks > _HDF5_ATTR_LIMIT:
        n_chunks += 1
    if n_chunks == 1:
        group.attrs[name] = data
        return
    for i, chunk in enumerate(np.array_split(data, n_chunks)):
        group.attrs[f"{name}{i}"] = chunk


def load_attributes(group, name):
    """Reads a list of strings written by `save_attributes` (chunked or not)."""
    if name in group.attrs:
        return [_decode(v) for v in group.attrs[name]]
    out, i = [], 0
    while f"{name}{i}" in group.attrs:
        out.extend(_decode(v) for v in group.attrs[f"{name}{i}"])
        i += 1
    return out


def load_json_attr(f, name):
    value = f.attrs.get(name)
    if value is None:
        return None
    return json.loads(_decode(value))
