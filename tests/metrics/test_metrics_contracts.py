"""Config round trips, `get` resolution and errors, device state without host syncs."""

import inspect

import pytest
import torch

import kerasish
from kerasish import losses, metrics

_REQUIRED = {"IoU": {"num_classes": 3, "target_class_ids": [0, 1]}, "MeanIoU": {"num_classes": 3},
             "OneHotIoU": {"num_classes": 3, "target_class_ids": [1]}, "OneHotMeanIoU": {"num_classes": 3},
             "PrecisionAtRecall": {"recall": 0.5}, "RecallAtPrecision": {"precision": 0.5},
             "SensitivityAtSpecificity": {"specificity": 0.5}, "SpecificityAtSensitivity": {"sensitivity": 0.5}}
_METRIC_CLASSES = sorted(n for n, o in metrics._OBJECTS.items() if inspect.isclass(o) and n[0].isupper()
                         and n not in ("Metric", "MeanMetricWrapper"))
_LOSS_CLASSES = sorted(n for n, o in losses._OBJECTS.items() if inspect.isclass(o)
                       and n not in ("Loss", "LossFunctionWrapper"))


@pytest.mark.parametrize("name", _METRIC_CLASSES)
def test_metric_config_round_trip(name):
    m = getattr(metrics, name)(**_REQUIRED.get(name, {}))
    config = m.get_config()
    clone = type(m).from_config(config)
    assert clone.get_config() == config
    again = metrics.deserialize(metrics.serialize(m))
    assert type(again) is type(m) and again.get_config() == config


@pytest.mark.parametrize("name", _LOSS_CLASSES)
def test_loss_config_round_trip(name):
    loss = getattr(losses, name)(reduction="sum")
    config = loss.get_config()
    assert type(loss).from_config(config).get_config() == config
    assert losses.deserialize(losses.serialize(loss)).get_config() == config


def test_wrappers_round_trip_with_function_names():
    w = losses.LossFunctionWrapper(losses.huber, delta=2.0)
    assert losses.LossFunctionWrapper.from_config(w.get_config()).fn is losses.huber
    m = metrics.MeanMetricWrapper(metrics.binary_accuracy, name="ba", threshold=0.3)
    clone = metrics.MeanMetricWrapper.from_config(m.get_config())
    assert clone._fn is metrics.binary_accuracy and clone._fn_kwargs == {"threshold": 0.3}


def test_get_resolves_like_keras_and_suggests_close_names():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("kullback_leibler_divergence") is losses.kl_divergence
    assert isinstance(metrics.get("mse"), metrics.MeanSquaredError)
    assert isinstance(metrics.get("AUC"), metrics.AUC)
    assert metrics.get("huber") is losses.huber
    with pytest.raises(ValueError, match="mean_squared_error"):
        losses.get("mean_squared_eror")
    with pytest.raises(ValueError, match="Precision"):
        metrics.get("Precison")


def test_automatic_names_follow_keras():
    assert metrics.AUC().name == "auc"
    assert metrics.AUC().name == "auc_1"
    assert metrics.LogCoshError().name == "logcosh"
    assert losses.Huber().name == "huber_loss"


@pytest.mark.parametrize("name", ["AUC", "Precision", "MeanIoU", "F1Score", "R2Score", "SparseCategoricalAccuracy",
                                  "SensitivityAtSpecificity"])
def test_update_state_makes_no_host_sync(name, monkeypatch):
    kwargs = {"MeanIoU": {"num_classes": 4}, "SensitivityAtSpecificity": {"specificity": 0.5}}.get(name, {})
    m = getattr(metrics, name)(**kwargs)
    y_pred = torch.rand(16, 4)
    y_true = {"MeanIoU": torch.randint(0, 4, (16,)), "SparseCategoricalAccuracy": torch.randint(0, 4, (16,))}.get(
        name, (torch.rand(16, 4) > 0.5).float())
    if name == "MeanIoU":
        y_pred = torch.randint(0, 4, (16,))
    m.update_state(y_true, y_pred)  # builds lazily-created state

    def fail(*args, **kwargs):
        raise AssertionError("host sync in update_state")

    for attr in ("item", "tolist", "cpu", "numpy", "__bool__", "__float__", "__int__"):
        monkeypatch.setattr(torch.Tensor, attr, fail)
    m.update_state(y_true, y_pred, sample_weight=torch.rand(16) if name != "MeanIoU" else None)
    monkeypatch.undo()
    assert torch.isfinite(torch.as_tensor(m.result(), dtype=torch.float32)).all()


def test_move_to_keeps_lazily_built_state_on_the_device():
    m = metrics.AUC(multi_label=True)
    m._move_to(torch.device("cpu"))
    m.update_state(torch.eye(3), torch.rand(3, 3))
    assert len(m.variables) == 4 and all(v.device.type == "cpu" for v in m.variables)
    m2 = metrics.F1Score()
    m2._move_to(torch.device("cpu"))
    m2.update_state(torch.eye(3), torch.rand(3, 3))
    assert all(v.device.type == "cpu" for v in m2.variables)
    assert kerasish.metrics.Mean()._device is None
