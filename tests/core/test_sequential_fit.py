"""Sequential construction, summary, and the fit/evaluate/predict API with its errors."""

import numpy as np
import pytest

import kerasish
from kerasish.layers import Activation, Dense, Dropout, Flatten, Reshape
from kerasish.models import Sequential


def _data(n=64, d=100, classes=10, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, d)).astype("float32")
    y = kerasish.utils.to_categorical(rng.integers(classes, size=(n, 1)), num_classes=classes)
    return x, y


def seed_model():
    model = Sequential()
    model.add(Dense(32, activation="relu", input_dim=100))
    model.add(Dense(10, activation="softmax"))
    return model


def test_constructions_build_as_soon_as_shape_is_known():
    a = Sequential([Dense(32, input_shape=(784,)), Activation("relu"), Dense(10), Activation("softmax")])
    assert a.built and a.output_shape == (None, 10) and a.count_params() == 784 * 32 + 32 + 330
    b = Sequential([kerasish.Input((784,)), Dense(32)])
    assert b.built and b.input_shape == (None, 784)
    c = Sequential([Dense(4, batch_input_shape=(8, 3))])
    assert c.input_shape == (8, 3)
    lazy = Sequential([Dense(4), Dense(2)])
    assert not lazy.built
    lazy.predict(np.ones((3, 7), dtype="float32"), verbose=0)
    assert lazy.built and lazy.layers[0].kernel.shape == (7, 4)


def test_summary_format(capsys):
    model = Sequential([Dense(32, input_shape=(784,)), Activation("relu"), Dense(10)])
    model.summary()
    out = capsys.readouterr().out
    assert 'Model: "sequential"' in out
    assert "dense (Dense)" in out and "(None, 32)" in out and "25,120" in out  # Keras 3 layout
    assert "Total params: 25,450" in out and "Trainable params: 25,450" in out
    assert "Non-trainable params: 0" in out
    # Keras 3 prints an unbuilt model rather than raising (tests/models/test_keras3_behaviours.py).
    Sequential([Dense(3)]).summary()
    assert "0 (unbuilt)" in capsys.readouterr().out


def test_add_pop_layers_and_get_layer():
    model = Sequential([Dense(3, input_shape=(2,)), Dense(4)])
    assert [layer.name for layer in model.layers] == ["dense", "dense_1"]
    assert model.get_layer("dense_1") is model.layers[1] and model.get_layer(index=0) is model.layers[0]
    model.pop()
    assert len(model.layers) == 1
    with pytest.raises(ValueError, match="No such layer"):
        model.get_layer("nope")
    with pytest.raises(TypeError, match="must be an instance of class Layer"):
        model.add("dense")
    with pytest.raises(ValueError, match="unique names"):
        model.add(Dense(2, name="dense"))


def test_fit_history_keys_and_verbose_modes(capsys):
    x, y = _data()
    model = seed_model()
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    h = model.fit(x, y, epochs=2, batch_size=32, verbose=0, validation_data=(x, y))
    assert sorted(h.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert h.epoch == [0, 1] and all(len(v) == 2 for v in h.history.values())
    assert capsys.readouterr().out == ""
    model.fit(x, y, epochs=2, batch_size=32, verbose=2)
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.strip()]
    assert lines[0] == "Epoch 1/2" and lines[1].startswith("2/2 - ") and "loss: " in lines[1]
    assert "accuracy: " in lines[1]
    model.fit(x, y, epochs=1, batch_size=32, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 1/1" in out and "2/2 [" in out and "loss:" in out


def test_training_reduces_loss_and_predict_batches():
    x, y = _data(n=256)
    model = seed_model()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["acc"])
    h = model.fit(x, y, epochs=15, batch_size=32, verbose=0)
    assert h.history["loss"][-1] < h.history["loss"][0]
    p = model.predict(x, batch_size=50, verbose=0)
    assert p.shape == (256, 10)
    np.testing.assert_allclose(p.sum(1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(p, model.predict_on_batch(x), rtol=1e-6)
    loss, acc = model.evaluate(x, y, verbose=0)
    assert 0 <= acc <= 1 and loss > 0
    assert model.metrics_names == ["loss", "acc"]


def test_torch_tensor_inputs_and_float64_arrays():
    import torch

    x, y = _data()
    model = seed_model()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(torch.from_numpy(x), torch.from_numpy(y), epochs=1, verbose=0)
    model.fit(x.astype("float64"), y.astype("float64"), epochs=1, verbose=0)
    assert model.predict(x.astype("float64"), verbose=0).dtype == np.float32


def test_keras2_sgd_decay_and_nb_epoch():
    x, y = _data()
    model = seed_model()
    sgd = kerasish.optimizers.SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)
    model.compile(loss="mean_squared_error", optimizer=sgd)
    with pytest.warns(UserWarning, match="nb_epoch"):
        model.fit(x, y, nb_epoch=2, batch_size=16, verbose=0)
    assert int(model.optimizer.iterations.numpy()) == 8
    assert float(model.optimizer.lr) == pytest.approx(0.01)


def test_bad_inputs_give_clear_errors():
    x, y = _data()
    model = seed_model()
    with pytest.raises(ValueError, match="compile"):
        model.fit(x, y, verbose=0)
    with pytest.raises(ValueError, match="Unknown optimizer identifier: 'rmsprp'.*'rmsprop'"):
        model.compile(optimizer="rmsprp", loss="mse")
    with pytest.raises(ValueError, match="Unknown loss identifier.*mean_squared_error"):
        model.compile(optimizer="sgd", loss="mean_sqared_error")
        model.fit(x, y, verbose=0)
    model.compile(optimizer="sgd", loss="mse", metrics=["accuracy"])
    with pytest.raises(ValueError, match=r"Data cardinality is ambiguous.*x sizes: \[64\], y sizes: \[50\]"):
        model.fit(x, y[:50], verbose=0)
    with pytest.raises(ValueError, match=r"expected axis -1 of input shape to have value 100.*\(32, 784\)"):
        model.fit(np.zeros((64, 784), "float32"), y, verbose=0)
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(x, y, validation_split=1.5, verbose=0)
    with pytest.raises(ValueError, match="verbose"):
        model.fit(x, y, verbose=7)
    with pytest.raises(TypeError, match="fit"):
        model.fit(x, y, verbose=0, epoch=3)


def test_dropout_flatten_reshape_in_a_model():
    model = Sequential([Reshape((10, 10), input_shape=(100,)), Flatten(), Dropout(0.5), Dense(3)])
    assert model.output_shape == (None, 3)
    x = np.ones((4, 100), dtype="float32")
    # Dropout is off at inference: predictions are deterministic.
    np.testing.assert_array_equal(model.predict(x, verbose=0), model.predict(x, verbose=0))


def test_kerasish_model_is_a_plain_torch_module():
    import torch

    model = seed_model()
    assert isinstance(model, torch.nn.Module)
    assert sorted(model.state_dict()) == ["dense.bias", "dense.kernel", "dense_1.bias", "dense_1.kernel"]
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = _data()
    loss = torch.nn.functional.mse_loss(model(torch.from_numpy(x)), torch.from_numpy(y))
    loss.backward()
    opt.step()


def test_layer_names_that_shadow_torch_attributes():
    model = Sequential([Dense(3, input_shape=(2,), name="train"), Dense(2, name="float")])
    assert [layer.name for layer in model.layers] == ["train", "float"]
    assert model.predict(np.ones((1, 2), "float32"), verbose=0).shape == (1, 2)
    model.pop()
    assert [layer.name for layer in model.layers] == ["train"]


def test_automatic_names_follow_keras():
    from kerasish.utils.naming import to_snake_case

    assert [to_snake_case(n) for n in ("Conv2D", "LSTM", "BatchNormalization", "Conv2DTranspose")] == \
        ["conv2d", "lstm", "batch_normalization", "conv2d_transpose"]


def test_exhausted_generator_interrupts_training_like_keras():
    model = Sequential([kerasish.Input((3,)), Dense(1)])
    model.compile("sgd", "mse")

    def gen():
        for _ in range(4):
            yield np.ones((2, 3), "float32"), np.ones((2, 1), "float32")

    with pytest.warns(UserWarning, match="ran out of data; interrupting training"):
        history = model.fit(gen(), epochs=3, verbose=0)
    assert history.epoch == [0] and len(history.history["loss"]) == 1
