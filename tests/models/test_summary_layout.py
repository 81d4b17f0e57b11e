"""`summary()`: Keras 3's table for Keras 3 code (line by line as Keras 3.15 prints it), Keras 2's
where a Keras 2 script runs (`python -m kerasish`, `kerasish.compat.install()`)."""

import pytest

import kerasish
from kerasish.utils import summary_utils


def _models(lib):
    L = lib.layers
    seq = lib.Sequential([lib.Input((6,)), L.Dense(4, activation="relu", name="d1"), L.Dropout(0.1, name="drop"),
                          L.Dense(2, name="d2")], name="seq")
    a, b = lib.Input((3,), name="a"), lib.Input((5,), name="b")
    shared = L.Dense(4, name="shared")
    merged = L.Concatenate(name="cat")([shared(a), L.Dense(4, name="proj")(b)])
    func = lib.Model([a, b], L.Dense(1, name="out")(merged), name="func")
    x = lib.Input((6,), name="x")
    inner = lib.Sequential([L.Dense(3, name="i1"), L.Dense(2, name="i2")], name="inner")
    nested = lib.Model(x, L.Dense(1, name="head")(inner(x)), name="nested")
    return {"sequential": seq, "functional": func, "nested": nested}


@pytest.fixture
def both(keras):
    return _models(kerasish), _models(keras)


def _text(model, **kwargs):
    chunks = []
    model.summary(print_fn=lambda text, *a, **k: chunks.append(text), **kwargs)
    return "\n".join(chunks).splitlines()


def test_keras3_layout_line_by_line(both):
    # One test for all cases: the keras fixture's reset costs seconds per test.
    for kind in ("sequential", "functional", "nested"):
        for kwargs in ({}, {"line_length": 120}, {"expand_nested": True, "show_trainable": True}):
            ours, theirs = both[0][kind], both[1][kind]
            assert _text(ours, **kwargs) == _text(theirs, **kwargs), (kind, kwargs)


def test_keras2_layout_where_a_keras2_script_runs(both):
    model = both[0]["sequential"]
    with summary_utils.summary_style("keras2"):
        lines = _text(model)
    assert lines[1] == "_" * 65 and lines[3] == "=" * 65
    assert lines[2].startswith("Layer (type)") and "Param #" in lines[2]
    assert "┃" not in "\n".join(lines)
    with pytest.raises(ValueError, match="Received: style='keras4'"):
        summary_utils.set_summary_style("keras4")


def test_python_m_kerasish_prints_keras2_layout(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "old.py"
    script.write_text("from keras.models import Sequential\nfrom keras.layers import Dense\n"
                      "Sequential([Dense(2, input_dim=3, name='d')], name='m').summary()\n")
    out = subprocess.run([sys.executable, "-m", "kerasish", str(script)], capture_output=True, text=True,
                         timeout=300, check=True).stdout.splitlines()
    assert out[:4] == ['Model: "m"', "_" * 65, out[2], "=" * 65] and out[2].startswith("Layer (type)")
    assert out[4].startswith("d (Dense)") and "(None, 2)" in out[4] and out[4].rstrip().endswith("8")


def test_layer_range_prints_keras3s_rows_and_errors(both):
    # One test: the keras fixture's reset costs seconds per test.
    cases = [("sequential", ["d1", "drop"]), ("sequential", ["drop", "d1"]),  # swapped: the same range
             ("functional", ["shared", "cat"]), ("functional", ["a", "p.*"]),  # regexes (re.match)
             ("nested", ["inner", "head"])]
    for kind, layer_range in cases:
        ours, theirs = both[0][kind], both[1][kind]
        lines = _text(ours, layer_range=layer_range)
        assert lines == _text(theirs, layer_range=layer_range), (kind, layer_range)
        assert len(lines) < len(_text(ours)), (kind, layer_range)  # the range left rows out
    for bad in (["d1"], ["d1", 2], ["nope", "d2"]):
        with pytest.raises(ValueError) as theirs:
            both[1]["sequential"].summary(print_fn=lambda *a, **k: None, layer_range=bad)
        with pytest.raises(ValueError) as ours:
            both[0]["sequential"].summary(print_fn=lambda *a, **k: None, layer_range=bad)
        assert str(ours.value) == str(theirs.value)


def test_layer_range_in_keras2_layout(both):
    with summary_utils.summary_style("keras2"):
        rows = [line for line in _text(both[0]["sequential"], layer_range=["drop", "d2"])
                if "(" in line and "params" not in line and "Layer" not in line]
    assert [row.split()[0] for row in rows] == ["drop", "d2"]
