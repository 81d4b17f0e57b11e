"""The documentation site builds with `mkdocs build --strict` (warnings are errors: broken links and
anchors, pages missing from the nav, docstrings the API reader cannot parse), and its code runs."""

import importlib.util
import os
import pathlib
import re
import subprocess
import sys

import mkdocs  # noqa: F401 - the site is part of the product: no mkdocs is a failure, not a skip
import mkdocstrings  # noqa: F401
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")  # Material's banner about MkDocs 2.0
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                          str(ROOT / "mkdocs.yml"), "--site-dir", str(out)],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    # A docstring's `Args:` items need `name: description` on their first line (the reference
    # reads Google style); links and anchors must resolve.
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    assert "WARNING" not in run.stderr, run.stderr[-4000:]
    return out


def test_site_builds_strict_with_guides_coverage_and_migration(site):
    for page in ["index.html", "migration/index.html", "coverage/index.html",
                 "layers/index.html", "api/index.html"]:
        assert (site / page).is_file(), page
    assert "kerasish.layers.Dense" not in (site / "coverage/index.html").read_text()
    assert "Model.from_torch" in (site / "migration/index.html").read_text()


def _public_names():
    spec = importlib.util.spec_from_file_location(
        "docstring_coverage", ROOT / "tools" / "docstring_coverage.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool.public_names(where=True)


def test_api_reference_renders_every_public_name(site):
    """Each public name's docs are rendered (a name the reader could not find would be dropped
    silently), under its public anchor, on its module's page."""
    pages, dropped = {}, []
    for path, defined_at in _public_names().items():
        module = path.rsplit(".", 1)[0]
        page = "datasets" if module.startswith("kerasish.datasets.") else (
            module.removeprefix("kerasish.") if module != "kerasish" else "kerasish")
        if page not in pages:
            pages[page] = (site / "api" / page / "index.html").read_text()
        if f'id="{defined_at}"' not in pages[page] or f'id="{path}"' not in pages[page]:
            dropped.append(path)
    assert len(pages) > 25 and not dropped, dropped


@pytest.mark.parametrize("page", ["index.md", "migration.md"])
def test_the_pages_python_examples_run(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the examples save model files
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / page).read_text(), re.S)
    assert blocks
    for i, block in enumerate(blocks):
        exec(compile(block, f"{page} example {i}", "exec"), {"__name__": "__main__"})


def test_a_page_left_out_of_the_nav_joins_more_guides(tmp_path):
    spec = importlib.util.spec_from_file_location("hooks", ROOT / "tools" / "mkdocs_hooks.py")
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    for page in ["index.md", "a.md", "api/x.md", "new.md"]:
        (tmp_path / page).parent.mkdir(exist_ok=True)
        (tmp_path / page).write_text("# t\n")
    config = {"docs_dir": str(tmp_path), "nav": [{"Home": "index.md"}, {"G": ["a.md", {"X": "api/x.md"}]}]}
    assert hooks.on_config(config)["nav"][-1] == {"More guides": ["new.md"]}
