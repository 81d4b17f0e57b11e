"""`keras.utils.Progbar` and fit's progress bar: one tqdm engine, Keras's Progbar API."""

import sys
import types
import warnings

import numpy as np
import pytest
from tqdm.std import tqdm as std_tqdm

import kerasish
from kerasish.utils import Progbar


def _last_line(text):
    return [part for part in text.replace("\r", "\n").split("\n") if part.strip()][-1]


def test_progbar_draws_with_tqdm_in_fits_format(capsys):
    bar = Progbar(10, width=10)
    before = len(std_tqdm._instances)
    bar.update(3, values=[("loss", 1.0)])
    assert len(std_tqdm._instances) == before + 1  # a live tqdm bar, the engine fit uses
    bar.update(10, values=[("loss", 2.0)])
    assert len(std_tqdm._instances) == before  # closed at the target
    line = _last_line(capsys.readouterr().out)
    assert line.startswith("10/10 [==========]")
    # weighted by steps, as Keras does: (1.0 * 3 + 2.0 * 7) / 10
    assert line.endswith("loss: 1.7000")


def test_progbar_stateful_metrics_shown_as_given_and_add(capsys):
    bar = Progbar(4, verbose=1, stateful_metrics=["acc"], unit_name="batch")
    bar.add(2, values=[("loss", 4.0), ("acc", 0.25)])
    bar.add(2, values=[("loss", 2.0), ("acc", 0.75)])
    line = _last_line(capsys.readouterr().out)
    assert "loss: 3.0000" in line and "acc: 0.7500" in line
    assert "batch" in line


def test_progbar_verbose_2_prints_one_line_and_0_nothing(capsys):
    bar = Progbar(3, verbose=2)
    for i in range(3):
        bar.update(i + 1, values=[("mae", 1e-5)])
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "\r" not in out
    assert out.startswith("3/3 - ") and out.rstrip().endswith("mae: 1.0000e-05")
    silent = Progbar(3, verbose=0)
    silent.update(3, values=[("mae", 1.0)])
    assert capsys.readouterr().out == ""


def test_progbar_unknown_target_finalizes_on_request(capsys):
    bar = Progbar(None)
    bar.update(5, values=[("loss", 1.0)])
    bar.update(7, finalize=True)
    line = _last_line(capsys.readouterr().out)
    assert line.startswith("7/Unknown") and "loss: 1.0000" in line


def test_progbar_rejects_bad_arguments():
    with pytest.raises(ValueError, match="Received: verbose=3"):
        Progbar(10, verbose=3)
    with pytest.raises(ValueError, match="Received: width=0"):
        Progbar(10, width=0)


@pytest.fixture
def notebook_without_ipywidgets(monkeypatch):
    """A Jupyter kernel as tqdm detects it, with `ipywidgets` not importable."""
    import IPython

    class ZMQInteractiveShell:
        config = {"IPKernelApp": {}}

    monkeypatch.setattr(IPython, "get_ipython", ZMQInteractiveShell)
    monkeypatch.setitem(sys.modules, "ipykernel.zmqshell", types.ModuleType("ipykernel.zmqshell"))
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    for name in ("tqdm.auto", "tqdm.autonotebook", "tqdm.notebook"):
        monkeypatch.delitem(sys.modules, name, raising=False)


def test_notebook_without_ipywidgets_falls_back_to_text_bar(notebook_without_ipywidgets, capsys):
    model = kerasish.Sequential([kerasish.Input((2,)), kerasish.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.zeros((8, 2), "float32")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(x, x[:, :1], batch_size=4, epochs=1, verbose=1)
        Progbar(2).update(2, values=[("loss", 1.0)])
    out = capsys.readouterr()
    assert not [w for w in caught if "IProgress" in str(w.message)]
    assert "IProgress" not in out.out + out.err
    assert "2/2 [" in out.out
