"""mkdocs hooks (mkdocs.yml `hooks:`): the API reference pages list each module's public names as
`import kerasish` sees them, and a docs/ page missing from the nav joins it under "More guides"
(several people add pages; a new page should show up, not fail the strict build).

A page line `::: kerasish.<module>` becomes one directive per public name of the module, each
pointing at the place the object is defined (`kerasish.ops.np_products.matmul`) and headed with
the public name (`matmul`, anchored `kerasish.ops.matmul`). The static reader (griffe) cannot
follow every re-export (imports under `__all__`s computed at import time), but it always finds a
definition, or, for functions generated at import time (the ops made from tables), inspects the
live object. The names come from tools/docstring_coverage.py, so the reference and the docstring
count cover the same names and a new public name appears without editing any page.
"""

import importlib
import importlib.util
import inspect
import pathlib
import re

_TOOL = pathlib.Path(__file__).resolve().parent / "docstring_coverage.py"
_DIRECTIVE = re.compile(r"^::: (kerasish(?:\.[\w.]+)?)[ \t]*$", re.M)
_members = None


def _public_members():
    """`{module path: [(name, defining path), ...]}` from tools/docstring_coverage.py, once."""
    global _members
    if _members is None:
        spec = importlib.util.spec_from_file_location("docstring_coverage", _TOOL)
        tool = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(tool)
        _members = {}
        for path, defined_at in tool.public_names(where=True).items():
            module, name = path.rsplit(".", 1)
            _members.setdefault(module, []).append((name, defined_at))
    return _members


def _generated(defined_at):
    """Whether the object has no source file griffe could read (made by `exec` from a table)."""
    module, _, qualname = _split(defined_at)
    obj = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    try:
        return not inspect.getsourcefile(obj).endswith(".py")
    except TypeError:
        return True


def _split(defined_at):
    """`(module, qualname)` of a dotted path whose module part is importable."""
    parts = defined_at.split(".")
    for i in range(len(parts) - 1, 0, -1):
        try:
            importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        return ".".join(parts[:i]), "", ".".join(parts[i:])
    raise ValueError(f"No importable module in the path. Received: defined_at={defined_at}")


def _directive(module, name, defined_at):
    options = [f'heading: "{name}"', f'toc_label: "{name}"']
    if _generated(defined_at):
        options.append("force_inspection: true")
    listed = "".join(f"\n      {option}" for option in options)
    return f'<span id="{module}.{name}"></span>\n\n::: {defined_at}\n    options:{listed}'


def _expand(match):
    module = match.group(1)
    names = _public_members().get(module)
    if not names:
        raise ValueError(f"The API page directive `::: {module}` names no module of "
                         f"tools/docstring_coverage.py's MODULES. Received: module={module}")
    return "\n\n".join(_directive(module, name, defined_at) for name, defined_at in names)


def on_page_markdown(markdown, page, config, files):  # noqa: ARG001 - mkdocs's hook signature
    if not page.file.src_uri.startswith("api/"):
        return markdown
    return _DIRECTIVE.sub(_expand, markdown)


def _nav_paths(items):
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            yield from _nav_paths(value)
        else:
            yield value


def on_config(config):
    listed = set(_nav_paths(config["nav"] or []))
    docs = pathlib.Path(config["docs_dir"])
    extra = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    extra = [p for p in extra if p not in listed]
    if extra:
        config["nav"].append({"More guides": extra})
    return config
