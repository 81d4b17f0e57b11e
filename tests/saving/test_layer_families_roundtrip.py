"""Every layer family survives `.keras` and legacy `.h5` round trips: architecture, weights,
compile config and optimizer state (predictions and a further training step agree)."""

import numpy as np
import pytest

import kerasish
from kerasish import layers
from tests.conftest import assert_close

rng = np.random.default_rng(0)


def _sequence_model():
    inp = kerasish.Input((12,), dtype="int32")
    x = layers.Embedding(50, 8, mask_zero=True)(inp)
    x = layers.Bidirectional(layers.LSTM(6, return_sequences=True), merge_mode="concat")(x)
    x = layers.TimeDistributed(layers.Dense(5, activation="relu"))(x)
    x = layers.GRU(4, reset_after=False, return_sequences=True)(x)
    x = layers.SimpleRNN(4)(x)
    x = layers.LayerNormalization()(x)
    out = layers.Dense(3, activation="softmax")(x)
    model = kerasish.Model(inp, out)
    data = rng.integers(1, 50, size=(16, 12))
    data[:, 9:] = 0  # right padding, masked
    return model, data, rng.integers(3, size=16)


def _image_model():
    model = kerasish.Sequential([
        kerasish.Input((10, 10, 2)),
        layers.ZeroPadding2D(1), layers.Conv2D(4, 3, padding="same"), layers.BatchNormalization(),
        layers.ReLU(), layers.SeparableConv2D(4, 3), layers.DepthwiseConv2D(3, padding="same"),
        layers.MaxPooling2D(), layers.Conv2DTranspose(3, 3, strides=2), layers.Cropping2D(1),
        layers.UpSampling2D(), layers.AveragePooling2D(), layers.SpatialDropout2D(0.1),
        layers.GaussianNoise(0.1), layers.PReLU(), layers.GlobalAveragePooling2D(),
        layers.Dense(8), layers.LeakyReLU(), layers.RepeatVector(2), layers.Permute((2, 1)),
        layers.Conv1D(3, 2, padding="causal"), layers.GlobalMaxPooling1D(), layers.Dense(3, activation="softmax"),
    ])
    return model, rng.random((16, 10, 10, 2)).astype("float32"), rng.integers(3, size=16)


def _merge_model():
    a, b = kerasish.Input((4,)), kerasish.Input((4,))
    shared = layers.Dense(4)
    sa, sb = shared(a), shared(b)
    merged = layers.concatenate([layers.add([sa, sb]), layers.multiply([sa, sb]),
                                 layers.Dot(axes=1, normalize=True)([sa, sb]), layers.maximum([sa, sb])])
    out = layers.Dense(3, activation="softmax")(layers.Dropout(0.2)(merged))
    model = kerasish.Model([a, b], out)
    return model, [rng.random((16, 4)).astype("float32"), rng.random((16, 4)).astype("float32")], \
        rng.integers(3, size=16)


@pytest.mark.parametrize("build", [_sequence_model, _image_model, _merge_model],
                         ids=["recurrent+embedding+normalization", "conv+pooling+reshaping+noise+activations",
                              "merging+shared"])
@pytest.mark.parametrize("suffix", ["keras", "h5"])
def test_family_round_trip(tmp_path, build, suffix):
    model, x, y = build()
    model.compile(kerasish.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    path = tmp_path / f"model.{suffix}"
    model.save(path)
    restored = kerasish.models.load_model(path)
    assert [type(a).__name__ for a in restored.layers] == [type(b).__name__ for b in model.layers]
    assert_close(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    for a, b in zip(restored.get_weights(), model.get_weights()):
        assert_close(a, b, rtol=0, atol=0)
    # Same optimizer state: one more identical step gives identical weights.
    kerasish.utils.set_random_seed(3)
    model.train_on_batch(x, y)
    kerasish.utils.set_random_seed(3)
    restored.train_on_batch(x, y)
    for a, b in zip(restored.get_weights(), model.get_weights()):
        assert_close(a, b, rtol=1e-5, atol=1e-6)
