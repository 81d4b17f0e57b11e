"""Every case of every `cases_<family>.py` table, against real Keras 3 (eager)."""

import importlib
import pkgutil

import pytest

import tests.ops as _pkg
from tests.ops.parity import run_eager


def _all_cases():
    out = []
    for info in sorted(pkgutil.iter_modules(_pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("cases_"):
            mod = importlib.import_module(f"tests.ops.{info.name}")
            out.extend(mod.CASES)
    return out


CASES = _all_cases()


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_eager_parity(c, keras):
    import kerasish.ops

    run_eager(kerasish.ops, keras.ops, c)
