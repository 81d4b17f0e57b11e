"""`KerasFileEditor`: inspect and edit the weights of a `.keras` or `.weights.h5` file (Keras
3.15's tool for fixing files that no longer match a model), with h5py only and Keras's safety
checks on what it reads."""

import io
import json
import math
import os
import zipfile

import numpy as np

_MAX_BYTES = 1 << 32  # Keras refuses datasets above 4 GiB


class KerasFileEditor:
    """Loads the weights tree of `filepath` (`.keras` or `.weights.h5`) for inspection and edits.

    Attributes: `weights_dict` (nested dicts of numpy arrays, Keras's file layout without the
    `vars` level), `config` and `metadata` (for `.keras` files), `object_metadata`.

    Example:

    ```python
    editor = kerasish.saving.KerasFileEditor("old.keras")
    editor.summary()
    editor.compare(model)                        # {"status": "error", ...}
    editor.rename_object("dense_3", "dense_4")
    editor.save("fixed.weights.h5")
    model.load_weights("fixed.weights.h5")
    ```
    """

    def __init__(self, filepath):
        self.filepath = filepath = str(filepath)
        self.metadata = self.config = None
        if filepath.endswith(".keras"):
            with zipfile.ZipFile(filepath, "r") as zf:
                self.config = json.loads(zf.read("config.json"))
                self.metadata = json.loads(zf.read("metadata.json"))
                data = zf.read("model.weights.h5")
            self.weights_dict, self.object_metadata = _read_h5(io.BytesIO(data))
        elif filepath.endswith(".weights.h5"):
            self.weights_dict, self.object_metadata = _read_h5(filepath)
        else:
            raise ValueError("Invalid filename: expected a `.keras` `.weights.h5` extension. "
                             f"Received: filepath={filepath}")
        print(f"Keras model file '{filepath}'")
        if self.metadata is not None:
            print(f"Saved with Keras {self.metadata.get('keras_version')} - "
                  f"date: {self.metadata.get('date_saved')}")

    def summary(self):
        """Prints the weights tree."""
        print("Weights structure")
        for line in _tree_lines(self.weights_dict, "  "):
            print(line)

    def compare(self, reference_model):
        """Compares the file's weights with `reference_model`'s (names and shapes, both ways).

        Returns:
            `{"status": "success" | "error", "error_count": n, "match_count": m}`.
        """
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "reference.weights.h5")
            reference_model.save_weights(path)
            reference, _ = _read_h5(path)
        checked = set()
        errors, matches = _compare(self.weights_dict, reference, "", "saved file", "reference model", checked)
        more, _ = _compare(reference, self.weights_dict, "", "reference model", "saved file", checked)
        errors += more
        print("─────────────────────")
        if errors == 0:
            print("Comparison successful: saved file is compatible with the reference model")
            print(f"    Found {matches} matching weight{'' if matches == 1 else 's'}")
        else:
            print(f"Found {errors} error{'' if errors == 1 else 's'}: saved file is not compatible "
                  "with the reference model")
        return {"status": "success" if errors == 0 else "error", "error_count": errors,
                "match_count": matches}

    # ------------------------------------------------------------------ edits
    def rename_object(self, object_name, new_name):
        """Renames an object (a leaf name found once in the tree, or a full path)."""
        def rename(d, source, target):
            d[target] = d.pop(source)

        self._edit(rename, object_name, new_name)

    def delete_object(self, object_name):
        """Removes an object and its weights."""
        self._edit(lambda d, source, target: d.pop(source), object_name)

    def add_object(self, object_path, weights):
        """Adds `weights` (`{"0": array, ...}`) as a new object at `object_path`."""
        _check_weights(weights)
        *parents, leaf = object_path.split("/")
        d = self._walk(parents, "/".join(parents))
        d[leaf] = dict(weights)

    def delete_weight(self, object_name, weight_name):
        """Removes one weight (`"0"`, `"1"`, ...) of an object."""
        def delete(d, source, target):
            if weight_name not in d[source]:
                raise ValueError(f"Weight {weight_name} not found in object {object_name}. Weights "
                                 f"found: {list(d[source])}. Received: weight_name={weight_name!r}")
            d[source].pop(weight_name)

        self._edit(delete, object_name)

    def add_weights(self, object_name, weights):
        """Adds or replaces weights (`{"0": array, ...}`) of an object."""
        _check_weights(weights)
        self._edit(lambda d, source, target: d[source].update(weights), object_name)

    def save(self, filepath):
        """Writes the (edited) weights to a `.weights.h5` file that Keras and kerasish load."""
        import h5py

        filepath = str(filepath)
        if not filepath.endswith(".weights.h5"):
            raise ValueError("Invalid `filepath` argument: expected a `.weights.h5` extension. "
                             f"Received: filepath={filepath}")
        from kerasish.saving import atomic

        with atomic.atomic_path(filepath) as tmp:
            with h5py.File(tmp, "w") as f:
                _write_h5(f, self.weights_dict, "")

    def resave_weights(self, filepath):
        self.save(filepath)

    def _walk(self, names, path):
        d = self.weights_dict
        for name in names:
            if name not in d:
                raise ValueError(f"Path '{path}' not found in model. Received: path={path!r}")
            d = d[name]
        return d

    def _edit(self, fn, source_name, target_name=None):
        if target_name is not None and "/" in target_name:
            raise ValueError("Argument `target_name` should be a leaf name, not a full path name. "
                             f"Received: target_name='{target_name}'")
        if "/" in source_name:
            *parents, leaf = source_name.split("/")
            d = self._walk(parents, source_name)
            if leaf not in d:
                raise ValueError(f"Path '{source_name}' not found in model. Received: path={source_name!r}")
            fn(d, leaf, target_name)
            return
        holders = list(_holders(self.weights_dict, source_name))
        if len(holders) != 1:
            what = "occurs more than once in the model; try passing a complete path" if holders \
                else "does not appear in the model (`editor.summary()` lists the objects)"
            raise ValueError(f"Name '{source_name}' {what}. Received: object_name={source_name!r}")
        fn(holders[0], source_name, target_name)


def _holders(d, name):
    for value in list(d.values()):
        if isinstance(value, dict):
            yield from _holders(value, name)
    if name in d:
        yield d


def _check_weights(weights):
    if not isinstance(weights, dict):
        raise ValueError("Argument `weights` should be a dict where keys are weight names (usually "
                         f"'0', '1', etc.) and values are NumPy arrays. Received: type(weights)={type(weights)}")


def _read_h5(source):
    import h5py

    with h5py.File(source, "r") as f:
        metadata = {}
        return _read_group(f, metadata, ""), metadata


def _read_group(group, metadata, inner_path):
    import h5py

    attrs = dict(group.attrs.items())
    if attrs:
        metadata[inner_path] = attrs
    result = {}
    for key in group.keys():
        link = group.get(key, getclass=True, getlink=True)
        if link in (h5py.ExternalLink, h5py.SoftLink):
            raise ValueError(f"Not allowed: H5 file with {link.__name__}. Received: key={key!r}")
        value = group[key]
        path = f"{inner_path}/{key}"
        if isinstance(value, h5py.Group):
            inner = value["vars"] if "vars" in value.keys() else value
            if len(inner):
                result[key] = _read_group(inner, metadata, path)
            continue
        if not isinstance(value, h5py.Dataset):
            continue
        if value.external or value.is_virtual:
            raise ValueError(f"Not allowed: H5 dataset with external or virtual storage at {path}")
        if len(value.shape) > 64 or math.prod(value.shape) * value.dtype.itemsize > _MAX_BYTES:
            raise ValueError(f"HDF5 dataset at {path} is too large or malformed to load safely. "
                             f"Received: shape={value.shape}")
        result[key] = value[()]
    return result


def _write_h5(group, weights, inner_path):
    arrays = {k: v for k, v in weights.items() if not isinstance(v, dict)}
    for name, value in weights.items():
        if isinstance(value, dict) and value:
            _write_h5(group, value, f"{inner_path}/{name}" if inner_path else name)
    if arrays:
        target = group.require_group(f"{inner_path}/vars" if inner_path else "vars")
        for name, value in arrays.items():
            target.create_dataset(name, data=np.asarray(value))


def _compare(target, reference, base, target_name, ref_name, checked, errors=0, matches=0):
    # Keras 3.15's recursion: the running counts go down into a sub-object and its returned
    # totals are added again, so `match_count` counts a weight once per level above it; kept so
    # that the reported figures equal Keras's.
    for key, ref_value in reference.items():
        path = f"{base}/{key}"
        if path in checked:
            continue
        if key not in target:
            errors += 1
            checked.add(path)
            kind = "Object" if isinstance(ref_value, dict) else "Weight"
            print(f"...{kind} {path} present in {ref_name}, missing from {target_name}")
        elif isinstance(ref_value, dict):
            e, m = _compare(target[key], ref_value, path, target_name, ref_name, checked, errors, matches)
            errors, matches = errors + e, matches + m
        elif np.shape(target[key]) != np.shape(ref_value):
            errors += 1
            checked.add(path)
            print(f"...Weight shape mismatch for {path}\n    In {ref_name}: shape={np.shape(ref_value)}"
                  f"\n    In {target_name}: shape={np.shape(target[key])}")
        else:
            matches += 1
    return errors, matches


def _tree_lines(weights, prefix):
    items = list(weights.items())
    for i, (key, value) in enumerate(items):
        last = i == len(items) - 1
        connector = "└─ " if last else "├─ "
        if isinstance(value, dict):
            yield f"{prefix}{connector}{key}"
            yield from _tree_lines(value, prefix + ("    " if last else "│   "))
        else:
            yield f"{prefix}{connector}{key}: shape={value.shape}, dtype={value.dtype}"
