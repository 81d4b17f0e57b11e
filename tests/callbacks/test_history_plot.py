"""`history.plot()`: one call draws the training curves (matplotlib, optional)."""

import sys

import matplotlib
import numpy as np
import pytest

import kerasish
from kerasish.callbacks import History

matplotlib.use("Agg")


def _history():
    history = History()
    for epoch, (loss, val_loss, acc) in enumerate([(1.0, 1.2, 0.5), (0.6, 0.9, 0.7), (0.4, 0.8, 0.9)]):
        history.on_epoch_end(epoch, {"loss": loss, "val_loss": val_loss, "accuracy": acc, "learning_rate": 0.1})
    return history


def test_plot_draws_one_panel_per_metric_with_validation(tmp_path):
    fig = _history().plot(path=tmp_path / "curves.png")
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["loss", "accuracy", "learning_rate"]
    loss_lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    assert sorted(loss_lines) == ["loss", "val_loss"]
    np.testing.assert_array_equal(loss_lines["val_loss"].get_ydata(), [1.2, 0.9, 0.8])
    np.testing.assert_array_equal(loss_lines["loss"].get_xdata(), [1, 2, 3])  # epochs count from 1
    assert (tmp_path / "curves.png").stat().st_size > 0


def test_plot_selected_metrics_from_fit():
    model = kerasish.Sequential([kerasish.Input((2,)), kerasish.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x = np.ones((8, 2), "float32")
    history = model.fit(x, x[:, :1], epochs=2, validation_split=0.5, verbose=0)
    fig = history.plot(metrics=["mae"])
    assert [ax.get_title() for ax in fig.axes] == ["mae"]
    assert sorted(line.get_label() for line in fig.axes[0].get_lines()) == ["mae", "val_mae"]
    with pytest.raises(ValueError, match="Received: metrics=\\['f1'\\]"):
        history.plot(metrics=["f1"])


def test_plot_without_matplotlib_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        _history().plot()
