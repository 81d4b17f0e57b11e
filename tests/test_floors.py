"""The floors of DESIGN.md, kept by walking every module's imports.

Every `import` / `from ... import` at any depth (inside functions and methods too) and every
`importlib.import_module("kerasish...")` with a literal name counts. The floors, from the ground up:

1. `backend/`, `ops/` (and `random`, `tree`, `config` when they exist): import nothing else of
   kerasish.
2. the families (activations, initializers, regularizers, constraints, losses, metrics,
   optimizers): nothing from layers/ and above.
3. `layers/`: nothing from models/, trainers/ or above.
4. models/, trainers/, callbacks/, saving/, distribute/; compat/ and `__main__` on top.

A few leaf modules every floor uses (`HELPERS`: automatic names, the registry of serializable
objects, Keras 1/2 argument names) may be imported from any floor; they import nothing but the
ground floor. Other packages outside the floors (utils/, preprocessing/, datasets/,
mixed_precision/) may be used by a floor only if nothing they reach (transitively) sits above it.
"""

import ast
import pathlib

import pytest

import kerasish

ROOT = pathlib.Path(kerasish.__file__).parent

FLOORS = {
    "backend": 1, "ops": 1, "random": 1, "tree": 1, "config": 1, "version": 1,
    "activations": 2, "initializers": 2, "regularizers": 2, "constraints": 2, "losses": 2,
    "metrics": 2, "optimizers": 2,
    "layers": 3,
    "models": 4, "trainers": 4, "callbacks": 4, "saving": 4, "distribute": 4, "distribution": 4,
    "compat": 5, "__main__": 5,
}

HELPERS = {"kerasish.utils.naming", "kerasish.saving.registry", "kerasish.saving.object_registration",
           "kerasish.compat.legacy_args"}


def _module_name(path):
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules():
    return {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


MODULES = _modules()


def _resolve(name):
    """The module a dotted name refers to (`kerasish.a.b.Class` -> `kerasish.a.b`)."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def _imports(name, path):
    """(target module, line) for every kerasish import in a module, at any depth."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            # `from kerasish import backend` imports the module kerasish.backend.
            out += [(f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base, node.lineno)
                    for a in node.names]
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            out.append((node.args[0].value, node.lineno))
    return [(_resolve(t), line) for t, line in out if t.startswith("kerasish")]


EDGES = {name: _imports(name, path) for name, path in MODULES.items()}


def floor_of(module):
    if module in HELPERS:
        return 0
    parts = module.split(".")
    if len(parts) == 1:
        return 6  # the package root imports everything
    return FLOORS.get(parts[1])


def _reach(start):
    """Every kerasish module `start` imports, directly or through others (with one path each)."""
    seen, stack = {start: [start]}, [start]
    while stack:
        m = stack.pop()
        for target, _ in EDGES.get(m, ()):
            if target not in seen:
                seen[target] = seen[m] + [target]
                stack.append(target)
    return seen


def violations():
    """`module -> target (line)` for each import that goes above the importer's floor."""
    out = []
    for name, edges in EDGES.items():
        floor = floor_of(name)
        if floor is None or floor >= 4:
            continue
        for target, line in edges:
            t_floor = floor_of(target)
            if floor in (0, 1) and t_floor not in (0, 1):
                out.append(f"{name}:{line} imports {target} (floor {floor} imports only the "
                           "ground floor and the helpers)")
            elif t_floor is not None and t_floor > floor:
                out.append(f"{name}:{line} imports {target} (floor {t_floor} > {floor})")
            elif t_floor is None:
                above = [(m, p) for m, p in _reach(target).items()
                         if (floor_of(m) or 0) > floor]
                if above:
                    m, path = above[0]
                    out.append(f"{name}:{line} imports {target}, which reaches {m} "
                               f"(floor {floor_of(m)} > {floor}): {' -> '.join(path)}")
    return sorted(out)


def test_every_module_parses_and_is_walked():
    assert "kerasish.backend.ops" in EDGES and "kerasish.layers.layer" in EDGES
    # The walker sees imports inside functions: a known one (the optimizer loader is lazy).
    assert any(t.startswith("kerasish.") for t, _ in EDGES["kerasish.models.model"])


def test_walker_finds_nested_and_relative_imports(tmp_path, monkeypatch):
    fake = ROOT / "backend" / "_floor_probe.py"
    source = ("def f():\n    from kerasish.models import functional\n"
              "import importlib\nimportlib.import_module('kerasish.trainers.trainer')\n")
    path = tmp_path / "_floor_probe.py"
    path.write_text(source)
    monkeypatch.setitem(MODULES, "kerasish.backend._floor_probe", path)
    edges = _imports("kerasish.backend._floor_probe", path)
    assert ("kerasish.models.functional", 2) in edges
    assert ("kerasish.trainers.trainer", 4) in edges
    assert not fake.exists()


def test_floors_hold():
    found = violations()
    assert not found, "imports above their floor:\n" + "\n".join(found)


@pytest.mark.parametrize("package", ["backend", "ops"])
def test_ground_floor_imports_only_itself(package):
    for name, edges in EDGES.items():
        if name.startswith(f"kerasish.{package}"):
            assert all(floor_of(t) in (0, 1) for t, _ in edges), (name, edges)


def test_helpers_import_only_the_ground_floor():
    for name in HELPERS:
        assert name in EDGES, name
        assert all(floor_of(t) in (0, 1) for t, _ in EDGES[name]), (name, EDGES[name])


def test_layers_reach_no_model():
    """No chain of imports leads from layers/ to models/ or trainers/ (the import circle)."""
    for name in EDGES:
        if name.startswith("kerasish.layers"):
            for reached, path in _reach(name).items():
                assert floor_of(reached) is None or floor_of(reached) <= 3, " -> ".join(path)
