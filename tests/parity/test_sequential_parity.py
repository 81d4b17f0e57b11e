"""The seed tutorial's Sequential models give Keras 3's numbers: predictions, losses, metrics,
and one epoch of training, from the same weights."""

import numpy as np
import pytest

import kerasish
from tests.conftest import assert_close


def _seed_mlp(lib, compile_kwargs):
    model = lib.Sequential([
        lib.layers.Dense(32, activation="relu", input_shape=(100,)) if lib is kerasish
        else lib.layers.Dense(32, activation="relu"),
        lib.layers.Dense(10, activation="softmax"),
    ])
    if lib is not kerasish:
        model.build((None, 100))
    model.compile(**compile_kwargs)
    return model


def _data(rng, n=256, classes=10):
    x = rng.random((n, 100)).astype("float32")
    labels = rng.integers(classes, size=(n, 1))
    return x, labels


def _optimizer(lib, spec):
    name, kwargs = spec
    return getattr(lib.optimizers, name)(**kwargs)


OPTIMIZERS = [
    ("RMSprop", {}),
    ("SGD", {"learning_rate": 0.01, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"learning_rate": 0.1}),
    ("Adam", {}),
]

LOSSES = ["categorical_crossentropy", "binary_crossentropy", "mse", "mean_squared_error"]


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("opt", OPTIMIZERS, ids=lambda o: f"{o[0]}{o[1]}")
def test_one_epoch_matches_keras(keras, rng, loss, opt):
    x, labels = _data(rng)
    y = kerasish.utils.to_categorical(labels, num_classes=10)
    ks_model = _seed_mlp(keras, dict(optimizer=_optimizer(keras, opt), loss=loss, metrics=["accuracy"]))
    km_model = _seed_mlp(kerasish, dict(optimizer=_optimizer(kerasish, opt), loss=loss, metrics=["accuracy"]))
    km_model.set_weights(ks_model.get_weights())

    assert_close(km_model.predict(x, verbose=0), ks_model.predict(x, verbose=0))
    assert_close(km_model.evaluate(x, y, verbose=0), ks_model.evaluate(x, y, verbose=0))

    h_ks = ks_model.fit(x, y, epochs=2, batch_size=32, shuffle=False, verbose=0)
    h_km = km_model.fit(x, y, epochs=2, batch_size=32, shuffle=False, verbose=0)
    assert sorted(h_km.history) == sorted(h_ks.history)
    for key in h_ks.history:
        assert_close(h_km.history[key], h_ks.history[key], rtol=1e-5, atol=1e-6)
    for a, b in zip(km_model.get_weights(), ks_model.get_weights()):
        assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_custom_metric_with_backend_mean(keras, rng):
    """The seed's `mean_pred` metric, written with `K.mean`, logs like Keras's."""
    x, labels = _data(rng)
    y = kerasish.utils.to_categorical(labels, num_classes=10)

    def mean_pred_k(y_true, y_pred):
        return kerasish.backend.mean(y_pred)

    def mean_pred_ref(y_true, y_pred):
        return keras.ops.mean(y_pred)

    mean_pred_k.__name__ = mean_pred_ref.__name__ = "mean_pred"
    ks_model = _seed_mlp(keras, dict(optimizer="rmsprop", loss="binary_crossentropy",
                                     metrics=["accuracy", mean_pred_ref]))
    km_model = _seed_mlp(kerasish, dict(optimizer="rmsprop", loss="binary_crossentropy",
                                        metrics=["accuracy", mean_pred_k]))
    km_model.set_weights(ks_model.get_weights())
    h_ks = ks_model.fit(x, y, epochs=1, batch_size=32, shuffle=False, verbose=0,
                        validation_data=(x[:64], y[:64]))
    h_km = km_model.fit(x, y, epochs=1, batch_size=32, shuffle=False, verbose=0,
                        validation_data=(x[:64], y[:64]))
    assert sorted(h_km.history) == sorted(h_ks.history)
    for key in h_ks.history:
        assert_close(h_km.history[key], h_ks.history[key])


def test_sparse_labels_and_validation_split(keras, rng):
    x, labels = _data(rng)
    kw = dict(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["acc"])
    ks_model, km_model = _seed_mlp(keras, kw), _seed_mlp(kerasish, kw)
    km_model.set_weights(ks_model.get_weights())
    h_ks = ks_model.fit(x, labels, epochs=2, batch_size=16, shuffle=False, verbose=0, validation_split=0.25)
    h_km = km_model.fit(x, labels, epochs=2, batch_size=16, shuffle=False, verbose=0, validation_split=0.25)
    assert sorted(h_km.history) == sorted(h_ks.history) == ["acc", "loss", "val_acc", "val_loss"]
    for key in h_ks.history:
        assert_close(h_km.history[key], h_ks.history[key])


def test_sample_weight_evaluate_and_train_on_batch(keras, rng):
    x, labels = _data(rng, n=64)
    y = kerasish.utils.to_categorical(labels, num_classes=10)
    sw = rng.random(64).astype("float32")
    kw = dict(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"],
              weighted_metrics=["accuracy"])
    ks_model, km_model = _seed_mlp(keras, kw), _seed_mlp(kerasish, kw)
    km_model.set_weights(ks_model.get_weights())
    # Keras 3's list form repeats a metric (a quirk of its compile_metrics flattening); dicts agree.
    ours = km_model.evaluate(x, y, sample_weight=sw, verbose=0, return_dict=True)
    ref = ks_model.evaluate(x, y, sample_weight=sw, verbose=0, return_dict=True)
    assert sorted(ours) == sorted(ref) == ["accuracy", "loss", "weighted_accuracy"]
    assert_close([ours[k] for k in sorted(ref)], [ref[k] for k in sorted(ref)])
    ours = km_model.train_on_batch(x, y, sample_weight=sw, return_dict=True)
    ref = ks_model.train_on_batch(x, y, sample_weight=sw, return_dict=True)
    assert_close([ours[k] for k in sorted(ref)], [ref[k] for k in sorted(ref)])
    ours = km_model.test_on_batch(x, y, return_dict=True)
    ref = ks_model.test_on_batch(x, y, return_dict=True)
    assert_close([ours[k] for k in sorted(ref)], [ref[k] for k in sorted(ref)])
    assert_close(km_model.predict_on_batch(x), ks_model.predict_on_batch(x))


def test_regularizers_add_to_loss(keras, rng):
    x, labels = _data(rng, n=64)
    y = kerasish.utils.to_categorical(labels, num_classes=10)

    def build(lib):
        model = lib.Sequential([
            lib.Input((100,)),
            lib.layers.Dense(16, activation="tanh", kernel_regularizer=lib.regularizers.l2(0.01),
                             activity_regularizer=lib.regularizers.l1(0.001)),
            lib.layers.Dense(10, activation="softmax", bias_regularizer=lib.regularizers.L1L2(0.01, 0.02)),
        ])
        model.compile(optimizer=lib.optimizers.SGD(0.05), loss="categorical_crossentropy")
        return model

    ks_model, km_model = build(keras), build(kerasish)
    km_model.set_weights(ks_model.get_weights())
    assert_close(km_model.evaluate(x, y, verbose=0), ks_model.evaluate(x, y, verbose=0))
    h_ks = ks_model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
    h_km = km_model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
    assert_close(h_km.history["loss"], h_ks.history["loss"])
    for a, b in zip(km_model.get_weights(), ks_model.get_weights()):
        assert_close(a, b)


@pytest.mark.parametrize("activation", [
    "relu", "sigmoid", "tanh", "softmax", "softplus", "softsign", "selu", "elu", "exponential",
    "linear", "relu6", "silu", "swish", "gelu", "hard_sigmoid", "hard_silu", "leaky_relu",
    "mish", "log_softmax", "celu", "hard_tanh", "log_sigmoid", "tanh_shrink", "squareplus",
    "sparse_plus", "soft_shrink", "hard_shrink", "sparse_sigmoid",
])
def test_activations_match_keras(keras, rng, activation):
    x = (rng.standard_normal((8, 6)) * 3).astype("float32")
    ours = kerasish.activations.get(activation)(kerasish.backend.convert_to_tensor(x))
    ref = keras.activations.get(activation)(keras.ops.convert_to_tensor(x))
    assert_close(ours.detach().numpy(), keras.ops.convert_to_numpy(ref), rtol=1e-5, atol=1e-6)


def test_sparsemax_is_a_projection_onto_the_simplex(rng):
    """Keras 3.15's torch sparsemax sums its support's cumulative sums into the threshold, so its
    outputs need not sum to 1 (e.g. all zeros); ours follows Martins & Astudillo (2016):
    outputs are non-negative, sum to 1, and equal softmax's argmax for well-separated logits."""
    import torch

    x = torch.tensor((rng.standard_normal((16, 6)) * 3).astype("float32"))
    out = kerasish.activations.sparsemax(x)
    assert torch.all(out >= 0)
    assert_close(out.sum(-1).numpy(), np.ones(16))
    z = torch.tensor([[0.0, 10.0, 1.0]])
    assert_close(kerasish.activations.sparsemax(z).numpy(), [[0.0, 1.0, 0.0]])
    # On the support, out = x - tau with a single tau per row.
    tau = (x - out)[out > 0]
    rows = torch.nonzero(out > 0)[:, 0]
    for r in rows.unique():
        vals = tau[rows == r]
        assert torch.allclose(vals, vals[0].expand_as(vals), atol=1e-5)
