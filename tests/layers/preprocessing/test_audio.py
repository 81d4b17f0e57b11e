"""`STFTSpectrogram`, `MelSpectrogram` and the `STFT` initializer against real Keras 3."""

import numpy as np
import pytest
import torch

import kerasish
from tests.conftest import assert_close


@pytest.fixture(scope="module")
def keras():
    """Real Keras 3, without the per-test `clear_session` (a full gc pass, ~1 s each, most of
    these tests' time): nothing here depends on Keras's global state (seeds are explicit)."""
    import keras as real_keras

    assert real_keras.backend.backend() == "torch"
    return real_keras


def _config(layer):
    return {k: v for k, v in layer.get_config().items() if k not in ("dtype", "name")}


def _np(x):
    return x.detach().cpu().numpy() if torch.is_tensor(x) else np.asarray(x)


STFT_CASES = [
    dict(frame_length=32, frame_step=16),
    dict(frame_length=30, fft_length=64, padding="same", expand_dims=True, window="hamming",
         periodic=True, scaling="spectrum"),
    dict(frame_length=16, data_format="channels_first", scaling=None, window=None),
    dict(frame_length=16, frame_step=5, data_format="channels_first", expand_dims=True,
         padding="same", window="blackman"),
]
MODES = ["log", "magnitude", "psd", "real", "imag", "angle", "stft"]


@pytest.mark.parametrize("case", range(len(STFT_CASES)))
def test_stft_spectrogram_matches_keras(keras, case):
    kwargs = STFT_CASES[case]
    x = np.random.default_rng(case).standard_normal((2, 200, 2)).astype("float32")
    if kwargs.get("data_format") == "channels_first":
        x = np.ascontiguousarray(x.transpose(0, 2, 1))
    for mode in MODES:
        theirs = keras.layers.STFTSpectrogram(mode=mode, **kwargs)
        mine = kerasish.layers.STFTSpectrogram(mode=mode, **kwargs)
        expected = keras.ops.convert_to_numpy(theirs(x))
        got = _np(mine(x))
        assert got.shape == expected.shape == tuple(mine.compute_output_shape(x.shape))
        # The kernels are Keras's to the bit, and so are the outputs.
        for a, b in zip(mine.get_weights(), theirs.get_weights()):
            np.testing.assert_array_equal(a, b)
        assert [w.name for w in mine.weights] == [w.name for w in theirs.weights]
        assert_close(got, expected, rtol=1e-5, atol=1e-5)
        assert _config(mine) == _config(theirs)


@pytest.mark.parametrize("side", ["real", "imag"])
@pytest.mark.parametrize("window,scaling,periodic", [
    ("hann", "density", False), ("hamming", "spectrum", True), (None, None, False),
    ("bartlett", "density", True), ("triang", "spectrum", False), ("boxcar", None, True),
    (list(np.linspace(0.0, 1.0, 12)), "density", False),
])
def test_stft_initializer_matches_keras(keras, side, window, scaling, periodic):
    theirs = keras.initializers.STFT(side, window, scaling, periodic)((12, 1, 9))
    for name in ("STFT", "stft", "STFTInitializer"):
        init = kerasish.initializers.get({"class_name": name, "config": theirs_config(
            side, window, scaling, periodic)})
        np.testing.assert_array_equal(init((12, 1, 9)).numpy(), keras.ops.convert_to_numpy(theirs))
    mine = kerasish.initializers.STFTInitializer(side, window, scaling, periodic)
    expected = keras.initializers.STFT(side, window, scaling, periodic).get_config()
    assert mine.get_config() == expected
    assert kerasish.initializers.serialize(mine)["class_name"] == "STFT"


def theirs_config(side, window, scaling, periodic):
    return {"side": side, "window": window, "scaling": scaling, "periodic": periodic}


MEL_CASES = [
    ((2, 4000), dict(num_mel_bins=20, sampling_rate=8000, sequence_stride=128, fft_length=256)),
    ((3000,), dict(num_mel_bins=16, fft_length=512, sequence_length=400, window="hamming",
                   power_to_db=False, mag_exp=1.0)),
    ((2, 2, 1000), dict(num_mel_bins=10, fft_length=256, sequence_stride=100, window=None,
                        top_db=20.0, ref_power=2.0, min_freq=100.0, max_freq=3000.0)),
]


@pytest.mark.parametrize("case", range(len(MEL_CASES)))
def test_mel_spectrogram_matches_keras(keras, case):
    shape, kwargs = MEL_CASES[case]
    x = np.random.default_rng(case).standard_normal(shape).astype("float32")
    theirs, mine = keras.layers.MelSpectrogram(**kwargs), kerasish.layers.MelSpectrogram(**kwargs)
    expected = keras.ops.convert_to_numpy(theirs(x))
    got = mine(x)
    assert torch.is_tensor(got) and got.dtype == torch.float32
    # Decibels of values up to ~400: float32 log10 differs in the last bits.
    assert_close(_np(got), expected, rtol=1e-5, atol=1e-4)
    assert tuple(mine.compute_output_shape(shape)) == expected.shape
    assert _config(mine) == _config(theirs)
    assert mine.weights == []


def test_mel_output_shape_is_the_real_one():
    # Keras's compute_output_shape says 11 frames here; the transform gives 1 + 999 // 100 = 10.
    layer = kerasish.layers.MelSpectrogram(num_mel_bins=4, fft_length=64, sequence_stride=100)
    out = layer(np.zeros((2, 999), "float32"))
    assert tuple(out.shape) == tuple(layer.compute_output_shape((2, 999))) == (2, 4, 10)


def _audio_model(lib):
    L = lib.layers
    inputs = lib.Input((160, 2))
    x = L.STFTSpectrogram(mode="log", frame_length=32, frame_step=16, padding="same")(inputs)
    x = L.GlobalAveragePooling1D()(x)
    mel = L.MelSpectrogram(num_mel_bins=8, fft_length=64, sequence_stride=32,
                           sampling_rate=8000)(L.Reshape((320,))(inputs))
    x = L.Concatenate()([x, L.Flatten()(mel)])
    return lib.Model(inputs, L.Dense(3)(x))


def test_keras_files_cross_both_ways(keras, tmp_path):
    x = np.random.default_rng(3).standard_normal((4, 160, 2)).astype("float32")
    theirs = _audio_model(keras)
    theirs.layers[1].set_weights([w * 1.5 for w in theirs.layers[1].get_weights()])
    theirs.save(tmp_path / "k.keras")
    loaded = kerasish.models.load_model(tmp_path / "k.keras")
    expected = keras.ops.convert_to_numpy(theirs.predict(x, verbose=0))
    assert_close(loaded.predict(x, verbose=0), expected, rtol=1e-4, atol=1e-4)
    loaded.save(tmp_path / "h.keras")
    back = keras.models.load_model(tmp_path / "h.keras")
    assert_close(back.predict(x, verbose=0), expected, rtol=1e-4, atol=1e-4)


def test_stft_kernels_train():
    layer = kerasish.layers.STFTSpectrogram(mode="magnitude", frame_length=16, frame_step=8)
    x = torch.randn(2, 64, 1)
    layer(x).sum().backward()
    assert layer.real_kernel.grad is not None and layer.imag_kernel.grad is not None
    frozen = kerasish.layers.STFTSpectrogram(frame_length=16, trainable=False)
    frozen(x)
    assert frozen.trainable_weights == [] and len(frozen.non_trainable_weights) == 2


@pytest.mark.parametrize("kwargs,match", [
    (dict(mode="power"), "mode="),
    (dict(frame_length=16, frame_step=17), "frame_step=17"),
    (dict(frame_length=16, fft_length=8), "fft_length=8"),
    (dict(padding="causal"), "padding="),
    (dict(scaling="l2"), "scaling="),
    (dict(window="no_such_window"), "no_such_window"),
])
def test_stft_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        kerasish.layers.STFTSpectrogram(**kwargs)


def test_bad_inputs_and_arguments():
    with pytest.raises(TypeError, match="input type=int32"):
        kerasish.layers.STFTSpectrogram(frame_length=4)(torch.zeros(1, 8, 1, dtype=torch.int32))
    with pytest.raises(ValueError, match="fft_length"):
        kerasish.layers.MelSpectrogram(fft_length=256, sequence_length=512)
    with pytest.raises(ValueError, match="window="):
        kerasish.layers.MelSpectrogram(window="blackman")
    with pytest.raises(ValueError, match="side="):
        kerasish.initializers.STFT("complex")
    with pytest.warns(UserWarning, match="power of two"):
        kerasish.layers.STFTSpectrogram(frame_length=16, fft_length=24)


def test_generic_layer_checks():
    from tests.layers.harness import run_layer_test

    run_layer_test(kerasish.layers.STFTSpectrogram, dict(mode="magnitude", frame_length=16),
                   (2, 64, 2), expected_output_shape=(2, 7, 18), expected_num_trainable_weights=2)
    run_layer_test(kerasish.layers.MelSpectrogram, dict(num_mel_bins=6, fft_length=64,
                                                        sequence_stride=16), (2, 64),
                   expected_output_shape=(2, 6, 5))
