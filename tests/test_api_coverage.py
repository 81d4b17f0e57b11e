"""docs/coverage.md is generated from the code: regenerating it gives the committed page."""

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _tool():
    spec = importlib.util.spec_from_file_location("api_coverage", ROOT / "tools" / "api_coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_coverage_page_matches_the_code(keras):
    tool = _tool()
    committed = (ROOT / "docs" / "coverage.md").read_text()
    assert tool.page() == committed, (
        "docs/coverage.md is out of date with the code: run "
        "`KERAS_BACKEND=torch python tools/api_coverage.py --write` and commit the page")


def test_refused_names_are_not_counted(keras):
    rows = {r[0]: r for r in _tool().coverage()}
    path, have, total, missing, refused = rows["callbacks"]
    assert "OrbaxCheckpoint" in refused and "OrbaxCheckpoint" not in missing
    assert have + len(missing) + len(refused) == total
