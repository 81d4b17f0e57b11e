import pytest

from kerasish.callbacks import ModelCheckpoint
from kerasish.callbacks.callback import overrides_batch_hooks

from tests.callbacks.helpers import RecordingModel, drive_epochs, tiny_data, tiny_model

LOSSES = [0.5, 0.4, 0.45, 0.3, 0.35]


def _logs():
    return [{"loss": v + 0.1, "val_loss": v} for v in LOSSES]


def test_every_epoch_writes_the_formatted_template(tmp_path):
    model = RecordingModel()
    cb = ModelCheckpoint(str(tmp_path / "weights.{epoch:02d}-{val_loss:.2f}.h5"), save_weights_only=True)
    drive_epochs(cb, model, _logs())
    names = [p.rsplit("/", 1)[1] for _, p in model.saved]
    assert names == ["weights.01-0.50.h5", "weights.02-0.40.h5", "weights.03-0.45.h5",
                     "weights.04-0.30.h5", "weights.05-0.35.h5"]
    assert {kind for kind, _ in model.saved} == {"weights"}


def test_save_best_only_writes_on_improvement(tmp_path):
    model = RecordingModel()
    cb = ModelCheckpoint(str(tmp_path / "m-{epoch}.keras"), save_best_only=True)
    drive_epochs(cb, model, _logs())
    assert [p.rsplit("/", 1)[1] for _, p in model.saved] == ["m-1.keras", "m-2.keras", "m-4.keras"]
    assert cb.best == 0.3
    assert all(kind == "model" for kind, _ in model.saved)


def test_save_best_only_max_mode_and_threshold(tmp_path):
    model = RecordingModel()
    logs = [{"val_acc": v} for v in (0.5, 0.7, 0.6, 0.8)]
    cb = ModelCheckpoint(str(tmp_path / "b{epoch}.keras"), monitor="val_acc", save_best_only=True,
                         mode="max", initial_value_threshold=0.65)
    drive_epochs(cb, model, logs)
    assert [p.rsplit("/", 1)[1] for _, p in model.saved] == ["b2.keras", "b4.keras"]


def test_integer_save_freq_counts_batches_across_epochs(tmp_path):
    model = RecordingModel()
    cb = ModelCheckpoint(str(tmp_path / "e{epoch}b{batch}.weights.h5"), save_weights_only=True, save_freq=3)
    drive_epochs(cb, model, _logs()[:2], batches_per_epoch=4)
    # 8 batches: saves after the 3rd (epoch 1, batch 3) and 6th (epoch 2, batch 2).
    assert [p.rsplit("/", 1)[1] for _, p in model.saved] == ["e1b3.weights.h5", "e2b2.weights.h5"]
    assert overrides_batch_hooks(cb)


def test_epoch_saving_needs_no_batch_hook(tmp_path):
    assert not overrides_batch_hooks(ModelCheckpoint(str(tmp_path / "m.keras")))


@pytest.mark.parametrize("path,weights_only", [("m.txt", False), ("m.keras", True), ("w.pt", True)])
def test_bad_extension_is_rejected(tmp_path, path, weights_only):
    with pytest.raises(ValueError, match="Received: filepath="):
        ModelCheckpoint(str(tmp_path / path), save_weights_only=weights_only)


def test_bad_save_freq_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="save_freq"):
        ModelCheckpoint(str(tmp_path / "m.keras"), save_freq="batch")


def test_missing_template_key_raises(tmp_path):
    cb = ModelCheckpoint(str(tmp_path / "m-{val_acc:.2f}.keras"))
    with pytest.raises(KeyError, match="Failed to format"):
        drive_epochs(cb, RecordingModel(), [{"loss": 1.0}])


def test_in_fit_calls_the_models_save_methods(tmp_path, monkeypatch):
    x, y = tiny_data()
    model = tiny_model()
    calls = []
    monkeypatch.setattr(type(model), "save_weights", lambda self, path, overwrite=True: calls.append(path),
                        raising=False)
    cb = ModelCheckpoint(str(tmp_path / "sub" / "w{epoch}.weights.h5"), save_weights_only=True,
                         monitor="loss", save_best_only=True)
    model.fit(x, y, epochs=3, verbose=0, callbacks=[cb])
    assert calls and calls[0].endswith("w1.weights.h5")
    assert (tmp_path / "sub").is_dir()
