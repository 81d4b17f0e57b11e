"""The examples in the public names' docstrings run (doctests compare their output), so they
cannot rot; and a ratchet keeps the number of names without an example from growing (as
test_docstrings.py does for names without a docstring).

An example runs as a doctest does: in the namespace of the module the name is reached from (its
public names, minus modules and names that shadow builtins), plus `kerasish` (also as `keras`),
`np`, `torch` and `ops`. One test per module, so `-n 2` splits them.
"""

import builtins
import importlib
import importlib.util
import inspect
import pathlib
import warnings

import numpy as np
import pytest
import torch

import kerasish

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Measured 2026-11-30: every public name has an example.
NO_EXAMPLE_CEILING = 0

# Examples that download a file (tests never use the network): shown, not run.
DOWNLOADS = {
    "kerasish.datasets.boston_housing.load_data", "kerasish.datasets.california_housing.load_data",
    "kerasish.datasets.cifar10.load_data", "kerasish.datasets.cifar100.load_data",
    "kerasish.datasets.fashion_mnist.load_data", "kerasish.datasets.imdb.load_data",
    "kerasish.datasets.mnist.load_data", "kerasish.datasets.reuters.load_data",
    "kerasish.utils.get_file", "kerasish.datasets.imdb.get_word_index",
    "kerasish.datasets.reuters.get_word_index",
}
# Fragments of a longer story: they use a `model`, data, a file or a device mesh that the text
# around them stands for. Not run. Make one self-contained and remove it here; the list can only
# name examples that exist, and the ceiling below keeps it from growing.
FRAGMENTS = {
    "kerasish.Sequential", "kerasish.StatelessScope", "kerasish.callbacks.BackupAndRestore",
    "kerasish.callbacks.CSVLogger", "kerasish.callbacks.EarlyStopping",
    "kerasish.callbacks.History", "kerasish.callbacks.LambdaCallback",
    "kerasish.callbacks.LearningRateScheduler", "kerasish.callbacks.ModelCheckpoint",
    "kerasish.callbacks.ReduceLROnPlateau", "kerasish.callbacks.RemoteMonitor",
    "kerasish.callbacks.SwapEMAWeights", "kerasish.callbacks.TerminateOnNaN",
    "kerasish.distillation.Distiller", "kerasish.distribution.DataParallel",
    "kerasish.distribution.initialize",
    "kerasish.distribution.DeviceMesh", "kerasish.distribution.LayoutMap",
    "kerasish.distribution.ModelParallel", "kerasish.distribution.TensorLayout",
    "kerasish.export.ExportArchive", "kerasish.layers.Add", "kerasish.layers.Average",
    "kerasish.layers.Concatenate", "kerasish.layers.Dot", "kerasish.layers.Lambda",
    "kerasish.layers.Maximum", "kerasish.layers.Minimum", "kerasish.layers.Multiply",
    "kerasish.layers.Subtract", "kerasish.losses.Circle", "kerasish.models.Sequential",
    "kerasish.models.clone_model", "kerasish.models.load_model",
    "kerasish.models.model_from_config", "kerasish.models.model_from_json",
    "kerasish.models.save_model", "kerasish.optimizers.LossScaleOptimizer",
    "kerasish.optimizers.OptimizerMap", "kerasish.optimizers.ScheduleFreeAdamW",
    "kerasish.preprocessing.image_dataset_from_directory",
    "kerasish.preprocessing.text_dataset_from_directory", "kerasish.saving.CustomObjectScope",
    "kerasish.saving.KerasFileEditor", "kerasish.saving.custom_object_scope",
    "kerasish.saving.load_model", "kerasish.saving.load_weights",
    "kerasish.saving.model_from_config", "kerasish.saving.model_from_json",
    "kerasish.saving.save_model", "kerasish.saving.save_weights",
    "kerasish.utils.CustomObjectScope", "kerasish.utils.Dataset", "kerasish.utils.PyDataset",
    "kerasish.utils.Sequence", "kerasish.utils.audio_dataset_from_directory",
    "kerasish.utils.custom_object_scope", "kerasish.utils.hash_file",
    "kerasish.utils.image_dataset_from_directory", "kerasish.utils.img_to_array",
    "kerasish.utils.load_img", "kerasish.utils.model_to_dot", "kerasish.utils.plot_model",
    "kerasish.utils.text_dataset_from_directory", "kerasish.wrappers.SKLearnClassifier",
    "kerasish.wrappers.SKLearnRegressor", "kerasish.wrappers.SKLearnTransformer",
}
FRAGMENTS_CEILING = 67

# Examples that need OpenCV (optional, as in Keras): they run where it is installed; elsewhere the
# function must refuse with an ImportError that says to install it.
NEEDS_OPENCV = {"kerasish.visualization.draw_bounding_boxes",
                "kerasish.visualization.plot_bounding_box_gallery"}
try:
    import cv2  # noqa: F401
    _HAVE_OPENCV = True
except ImportError:
    _HAVE_OPENCV = False


def _tool():
    spec = importlib.util.spec_from_file_location(
        "docstring_coverage", ROOT / "tools" / "docstring_coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL = _tool()
NAMES = TOOL.public_names()


def _module_of(path):
    return path.rsplit(".", 1)[0]


def _globals(module_path):
    module = importlib.import_module(module_path)
    names = {k: v for k, v in vars(module).items()
             if not k.startswith("_") and not inspect.ismodule(v) and not hasattr(builtins, k)}
    return {**names, "kerasish": kerasish, "keras": kerasish, "np": np, "torch": torch,
            "ops": kerasish.ops}


@pytest.mark.parametrize("module_path", sorted({_module_of(p) for p in NAMES}))
def test_docstring_examples_run(module_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an example that writes a file writes it here
    # `config.enable_unsafe_deserialization`'s example turns safe mode off for the process: undo it.
    monkeypatch.setattr(kerasish.backend.config, "_UNSAFE_DESERIALIZATION",
                        kerasish.backend.config._UNSAFE_DESERIALIZATION)
    globs, failed = _globals(module_path), {}
    for path, doc in sorted(NAMES.items()):
        if _module_of(path) != module_path or not TOOL.has_example(doc):
            continue
        if path in DOWNLOADS or path in FRAGMENTS:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if path in NEEDS_OPENCV and not _HAVE_OPENCV:
                    with pytest.raises(ImportError, match="pip install opencv"):
                        TOOL.run_example(path, doc, globs)
                else:
                    TOOL.run_example(path, doc, globs)
        except Exception as e:  # noqa: BLE001 - every failure is reported, by name
            failed[path] = f"{type(e).__name__}: {e}"
    assert not failed, "\n\n".join(f"{path}:\n{error}" for path, error in failed.items())


def test_names_without_an_example_do_not_grow():
    missing = sorted(path for path, doc in NAMES.items() if not TOOL.has_example(doc))
    assert len(NAMES) > 900
    assert len(missing) <= NO_EXAMPLE_CEILING, (
        f"{len(missing)} public names lack an example (ceiling {NO_EXAMPLE_CEILING}); add one to "
        f"the new ones: {missing}")


def test_not_run_lists_name_real_examples_and_do_not_grow():
    for path in DOWNLOADS | FRAGMENTS:
        assert TOOL.has_example(NAMES.get(path, "")), f"{path} has no example: remove it here"
    assert len(FRAGMENTS) <= FRAGMENTS_CEILING
    assert all(".datasets." in path or path.endswith("get_file") for path in DOWNLOADS)


def test_a_failing_example_fails():
    globs = {"kerasish": kerasish, "torch": torch}
    with pytest.raises(AssertionError, match="Expected"):
        TOOL.run_example("bad", "Example:\n\n>>> 1 + 1\n3\n", globs)
    with pytest.raises(NameError):
        TOOL.run_example("bad", "Example:\n\n```python\nundefined_name\n```\n", globs)
    TOOL.run_example("good", "Example:\n\n```python\n>>> 1 + 1\n2\n```\n", globs)
