"""Counts the public names of kerasish's public modules that have no docstring of their own:
`python tools/docstring_coverage.py [--missing]`.

A public name is a class or function reached as `kerasish.<module>.<name>` (no leading underscore)
and defined in kerasish; each path counts once (an alias under two modules counts twice, as a user
meets it twice). A class has a docstring when it defines one itself (an inherited docstring
describes the parent, not this class). tests/docs/test_docstrings.py keeps the count of names
without one from growing.
"""

import argparse
import contextlib
import doctest
import importlib
import inspect
import io
import pathlib
import re
import sys

# The checkout's kerasish, not an installed one (`python tools/...` puts tools/ first on the path).
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

# The modules of the API reference (docs/api/); "" is the top level.
DATASETS = ["boston_housing", "california_housing", "cifar10", "cifar100", "fashion_mnist", "imdb",
            "mnist", "reuters"]
MODULES = ["", "activations", "callbacks", "config", "constraints", "distillation",
           "distribution", "dtype_policies", "export", "initializers", "layers", "losses",
           "metrics", "mixed_precision", "models", "ops", "optimizers", "optimizers.schedules",
           "preprocessing", "random", "regularizers", "saving", "tree", "utils", "visualization",
           "wrappers"] + [f"datasets.{name}" for name in DATASETS]

# Helpers a module imports for its own use (each family's registry), not API.
NOT_API = {"Registry"}


def _own_doc(obj):
    doc = obj.__dict__.get("__doc__") if inspect.isclass(obj) else getattr(obj, "__doc__", None)
    return (doc or "").strip()


def has_example(doc):
    """Keras style: an `Example:`/`Examples:` section, a doctest, or a code block."""
    return any(mark in doc for mark in ("Example", ">>>", "```"))


_FENCE = re.compile(r"```(\w*)\n(.*?)```", re.S)


def run_example(path, doc, globs):
    """Runs the example of `doc` (the docstring of `path`) in a copy of `globs`: its `>>>` lines
    as a doctest (outputs compared, whitespace normalized, `...` allowed), else its fenced
    Python blocks. Raises AssertionError (the doctest report) or the example's own error."""
    doc, globs = inspect.cleandoc(doc), dict(globs)
    if ">>>" in doc:
        # Keras writes doctests inside ```python fences; the fence lines are not output.
        doc = "\n".join(line for line in doc.splitlines() if not line.strip().startswith("```"))
        test = doctest.DocTestParser().get_doctest(doc, globs, path, None, 0)
        report = io.StringIO()
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        if runner.run(test, out=report.write, clear_globs=False).failed:
            raise AssertionError(report.getvalue())
        return
    with contextlib.redirect_stdout(io.StringIO()):  # summaries and progress bars
        for language, code in _FENCE.findall(doc):
            if language in ("", "python", "py"):
                exec(compile(code, path, "exec"), globs)


def public_names(where=False):
    """`{path: docstring}` over every public class and function of `MODULES` ("" when none);
    with `where=True`, `{path: the path where the object is defined}` instead."""
    found = {}
    for module_path in MODULES:
        module = importlib.import_module("kerasish" + (f".{module_path}" if module_path else ""))
        for name in sorted(dir(module)):
            obj = getattr(module, name)
            if name.startswith("_") or not (inspect.isclass(obj) or callable(obj)):
                continue
            if not str(getattr(obj, "__module__", "") or "").startswith("kerasish"):
                continue
            if name in NOT_API:
                continue
            path = f"kerasish.{module_path}.{name}".replace("..", ".")
            found[path] = f"{obj.__module__}.{obj.__qualname__}" if where else _own_doc(obj)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--missing", action="store_true", help="list the names without one")
    args = parser.parse_args()
    names = public_names()
    missing = sorted(p for p, doc in names.items() if not doc)
    examples = sum(has_example(doc) for doc in names.values())
    print(f"{len(names) - len(missing)} of {len(names)} public names have a docstring "
          f"({len(missing)} do not); {examples} have an example.")
    if args.missing:
        print("\n".join(missing))


if __name__ == "__main__":
    main()
