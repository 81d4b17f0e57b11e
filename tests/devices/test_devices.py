"""Devices: choosing one, moving a model with its optimizer state, staging data, streaming predict.

The logic runs on the CPU (the `meta` device stands in for an accelerator, and the streaming paths
are forced); the tests marked `cuda` run the real CUDA paths where a GPU is present.
"""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers
from kerasish.backend import config
from kerasish.trainers import data_adapters, execution

cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


@pytest.fixture
def restore_device():
    yield
    config.set_device(None)


def _model(optimizer="adam"):
    model = kerasish.Sequential([kerasish.Input((6,)), layers.Dense(8, activation="relu"),
                                 layers.Dense(3, activation="softmax")])
    model.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _data(n=64):
    rng = np.random.default_rng(0)
    return rng.random((n, 6)).astype("float32"), rng.integers(3, size=n)


def test_environment_variable_and_set_device(monkeypatch, restore_device):
    monkeypatch.setenv("KERASISH_DEVICE", "meta")
    config.set_device(None)
    assert kerasish.backend.get_device() == torch.device("meta")
    dense = layers.Dense(3)
    dense.build((None, 4))
    assert dense.kernel.device.type == "meta"
    kerasish.backend.set_device("cpu")
    assert kerasish.backend.get_device() == torch.device("cpu")
    monkeypatch.setenv("KERASISH_DEVICE", "not-a-device")
    config.set_device(None)
    with pytest.raises(ValueError, match="KERASISH_DEVICE"):
        kerasish.backend.get_device()


class _OnDevice:
    """Stands in for a tensor on another device (CPU-only torch cannot move a Parameter's data)."""

    def __init__(self, device):
        self.device = torch.device(device)
        self.data = self

    def to(self, device):
        return _OnDevice(device)


@pytest.mark.parametrize("wrap", [False, True])
def test_optimizer_state_follows_its_variables(wrap):
    x, y = _data()
    opt = kerasish.optimizers.Adam(use_ema=True)
    if wrap:
        opt = kerasish.mixed_precision.LossScaleOptimizer(opt)
    model = _model(opt)
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    inner = getattr(model.optimizer, "inner_optimizer", model.optimizer)
    assert len(inner.variables) == 3 * len(model.trainable_weights)  # m, v and the EMA average
    # As after `model.to("cuda")`: the parameters are elsewhere, the state still on the CPU.
    inner._variables = [_OnDevice("meta") for _ in inner._variables]
    for group in inner._slot_groups:
        for _, slots in group:
            slots[:] = [_OnDevice("cpu") for _ in slots]
    execution.follow_parameters(model.optimizer)
    moved = [s for group in inner._slot_groups for _, slots in group for s in slots]
    assert len(moved) == 3 * len(model.trainable_weights)
    assert all(s.data is not s and s.data.device.type == "meta" for s in moved)


def test_optimizer_state_that_did_not_move_is_left_alone():
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    before = [s.data.data_ptr() for s in model.optimizer.variables]
    execution.follow_parameters(model.optimizer)
    assert [s.data.data_ptr() for s in model.optimizer.variables] == before


def test_model_to_moves_the_optimizer_state(monkeypatch):
    calls = []
    monkeypatch.setattr(execution, "follow_parameters", calls.append)
    model = _model()
    model.to(torch.device("cpu"))
    model.cpu()
    assert calls == [model.optimizer, model.optimizer]


def test_torch_optimizer_state_follows_its_parameters():
    opt = torch.optim.Adam([torch.nn.Parameter(torch.zeros(3))])
    param = _OnDevice("meta")
    opt.state = {param: {"exp_avg": torch.ones(3), "step": torch.tensor(2.0)}}
    execution.follow_parameters(opt)
    assert opt.state[param]["exp_avg"].device.type == "meta"
    assert opt.state[param]["step"].device.type == "cpu"  # torch keeps the step count on the host


def test_arrays_are_staged_on_the_device_when_they_fit(monkeypatch):
    x, y = _data(10)
    meta = torch.device("meta")
    on_device = data_adapters.ArrayDataAdapter(x, y, batch_size=4, device=meta)
    assert on_device._on_device and all(t.device == meta for t in on_device._tensors)
    monkeypatch.setattr(data_adapters, "_fits_on_device", lambda tensors, device: False)
    host = data_adapters.ArrayDataAdapter(x, y, batch_size=4, shuffle=True, device=meta)
    assert not host._on_device and all(t.device.type == "cpu" for t in host._tensors)
    batches = list(host)
    assert [int(b[0].shape[0]) for b in batches] == [4, 4, 2]
    assert all(b[0].device == meta and b[1].device == meta for b in batches)


def test_fits_on_device_compares_with_free_cuda_memory(monkeypatch):
    tensors = [torch.zeros(1000)]  # 4000 bytes
    monkeypatch.setattr(torch.cuda, "mem_get_info", lambda device=None: (16000, 10 ** 9))
    assert data_adapters._fits_on_device(tensors, torch.device("cuda"))
    monkeypatch.setattr(torch.cuda, "mem_get_info", lambda device=None: (15999, 10 ** 9))
    assert not data_adapters._fits_on_device(tensors, torch.device("cuda"))
    assert data_adapters._fits_on_device(tensors, torch.device("cpu"))


@pytest.mark.parametrize("total_rows", [None, 7, 5])
def test_host_outputs_stream_batches_in_order(total_rows):
    batches = [{"a": torch.arange(3 * i, 3 * i + 3.0).reshape(3, 1), "b": torch.full((3,), i)}
               for i in range(2)] + [{"a": torch.tensor([[6.0]]), "b": torch.tensor([2])}]
    streamed = execution.HostOutputs(torch.device("cpu"), total_rows, stream=True, pin=False)
    for b in batches:
        streamed.add(b)
    out = streamed.result()
    np.testing.assert_array_equal(out["a"][:, 0], np.arange(7.0))
    np.testing.assert_array_equal(out["b"], [0, 0, 0, 1, 1, 1, 2])
    if total_rows == 7:  # one buffer of all rows, filled in place
        assert streamed._buffers is not None and not any(streamed._chunks)


def test_predict_streams_outputs_to_the_host(monkeypatch):
    x, _ = _data(50)
    model = _model()
    expected = model.predict(x, batch_size=8, verbose=0)
    collectors = []

    class Streaming(execution.HostOutputs):
        def __init__(self, device, total_rows=None):
            super().__init__(device, total_rows, stream=True, pin=False)
            collectors.append(self)

    monkeypatch.setattr(execution, "HostOutputs", Streaming)
    monkeypatch.setattr(data_adapters, "_fits_on_device", lambda tensors, device: False)
    got = model.predict(x, batch_size=8, verbose=0)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert len(collectors) == 1 and collectors[0]._buffers[0].shape == (50, 3)


@pytest.mark.cuda
@cuda
def test_cuda_model_and_optimizer_move_together_and_train():
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    cpu_pred = model.predict(x, verbose=0)
    model.to("cuda")
    assert all(s.device.type == "cuda" for s in model.optimizer.variables)
    np.testing.assert_allclose(model.predict(x, verbose=0), cpu_pred, rtol=1e-4, atol=1e-5)
    history = model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    model.cpu()
    assert all(s.device.type == "cpu" for s in model.optimizer.variables)


@pytest.mark.cuda
@cuda
def test_cuda_pinned_staging_and_streamed_predict(monkeypatch):
    x, y = _data(200)
    device = torch.device("cuda")
    monkeypatch.setattr(data_adapters, "_fits_on_device", lambda tensors, dev: False)
    adapter = data_adapters.ArrayDataAdapter(x, y, batch_size=64, device=device)
    assert all(t.is_pinned() for t in adapter._tensors)
    assert all(b[0].device.type == "cuda" for b in adapter)
    model = _model()
    model.to(device)
    got = model.predict(x, batch_size=64, verbose=0)
    collector = execution.HostOutputs(device, 200)
    for start in range(0, 200, 64):
        with torch.no_grad():
            collector.add(model(torch.as_tensor(x[start:start + 64], device=device)))
    assert collector._buffers[0].is_pinned()
    np.testing.assert_allclose(collector.result(), got, rtol=1e-5, atol=1e-6)


@pytest.mark.cuda
@cuda
def test_cuda_mixed_float16_trains_with_loss_scaling():
    kerasish.mixed_precision.set_global_policy("mixed_float16")
    try:
        x, y = _data(256)
        model = _model()
        model.to("cuda")
        history = model.fit(x, y, epochs=3, batch_size=32, verbose=0)
    finally:
        kerasish.mixed_precision.set_global_policy("float32")
    assert type(model.optimizer).__name__ == "LossScaleOptimizer"
    assert all(w.dtype == torch.float32 for w in model.weights)
    assert history.history["loss"][-1] < history.history["loss"][0]
