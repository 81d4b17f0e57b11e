"""The colour and mixing augmentation layers against real Keras 3 (torch backend): seeded layers
draw Keras's random values in Keras's order, so outputs match call after call."""

import json
import re

import numpy as np
import pytest
import torch

import kerasish
from tests.layers.image_preprocessing.utils import numpy, run_pair

RNG = np.random.default_rng(0)


@pytest.fixture(scope="module")
def keras():
    """Real Keras 3, without the per-test `clear_session` (a full gc pass, ~1 s each, most of
    these tests' time): nothing here depends on Keras's global state (seeds are explicit)."""
    import keras as real_keras

    assert real_keras.backend.backend() == "torch"
    return real_keras

IMAGES = RNG.uniform(0, 255, (4, 6, 5, 3)).astype("float32")
UNIT = RNG.uniform(0, 1, (4, 6, 5, 3)).astype("float32")
LOW = RNG.uniform(30, 120, (3, 11, 13, 3)).astype("float32")
LOW[1, ..., 1] = 7.0  # a constant channel
LABELS = np.eye(4, dtype="float32")


def _cf(x):
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2))


CF = {"data_format": "channels_first"}
RANDOM_CASES = [
    ("RandomContrast", {"factor": 0.5}, IMAGES),
    ("RandomContrast", {"factor": (0.2, 0.7), **CF}, _cf(IMAGES)),
    ("RandomBrightness", {"factor": 0.3}, IMAGES),
    ("RandomBrightness", {"factor": (-0.2, 0.4), "value_range": (0, 1)}, UNIT),
    ("RandomGrayscale", {"factor": 0.5}, IMAGES),
    ("RandomGrayscale", {"factor": 0.5, **CF}, _cf(IMAGES)),
    ("RandomInvert", {"factor": 0.7}, IMAGES),
    ("RandomPosterization", {"factor": (2, 6)}, IMAGES),
    ("RandomPosterization", {"factor": 4, "value_range": (0, 1)}, UNIT),
    ("Solarization", {"addition_factor": 0.2, "threshold_factor": (0.3, 0.8)}, IMAGES),
    ("Solarization", {"value_range": (0, 1)}, UNIT),
    ("RandomHue", {"factor": 0.4}, IMAGES),
    ("RandomHue", {"factor": (0.1, 0.9), "value_range": (0, 1), **CF}, _cf(UNIT)),
    ("RandomSaturation", {"factor": (0.2, 0.8)}, UNIT),
    ("RandomSaturation", {"factor": 0.5, "value_range": (0, 1)}, UNIT),
    ("RandomSharpness", {"factor": 0.8}, IMAGES),
    ("RandomSharpness", {"factor": (0.1, 0.9), **CF}, _cf(IMAGES)),
    ("RandomColorDegeneration", {"factor": 0.5}, IMAGES),
    ("RandomErasing", {}, IMAGES),
    ("RandomErasing", {"factor": 0.6, "scale": (0.1, 0.5), "fill_value": 7.0, **CF}, _cf(IMAGES)),
    ("RandomErasing", {"fill_value": [1.0, 2.0, 300.0]}, IMAGES),
    ("RandomGaussianBlur", {}, IMAGES),
    ("RandomGaussianBlur", {"factor": (0.3, 0.9), "kernel_size": 5, "sigma": (0.5, 0.9), **CF},
     _cf(IMAGES)),
    ("RandomColorJitter", {"brightness_factor": 0.2, "contrast_factor": 0.5,
                           "saturation_factor": (0.3, 0.7), "hue_factor": 0.3}, IMAGES),
    ("RandomColorJitter", {"value_range": (0, 1), "contrast_factor": 0.5, "hue_factor": 0.3},
     UNIT),
    ("MixUp", {}, IMAGES),
    ("MixUp", {"alpha": 0.5}, {"images": IMAGES, "labels": LABELS}),
    ("CutMix", {}, IMAGES),
    ("CutMix", {"factor": (0.3, 0.8)}, {"images": IMAGES, "labels": LABELS}),
    ("CutMix", CF, _cf(IMAGES)),
]


@pytest.mark.parametrize("case", range(len(RANDOM_CASES)),
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(RANDOM_CASES)])
def test_seeded_layers_match_keras(keras, case):
    name, kwargs, data = RANDOM_CASES[case]
    kwargs = {**kwargs, "seed": 3 + case}
    # Inference first: the layers that draw there too (as Keras's do) keep the same stream.
    run_pair(keras, name, kwargs, data, calls=1, training=False, atol=1e-3)
    run_pair(keras, name, kwargs, data, calls=2, training=True, atol=1e-3)
    if not isinstance(data, dict) and name != "MixUp":  # one image (MixUp needs a batch)
        run_pair(keras, name, kwargs, data[0], calls=2, training=True, atol=1e-3)


DETERMINISTIC_CASES = [
    ("Equalization", {}, LOW),
    ("Equalization", {"bins": 64, "value_range": (0, 1)}, UNIT * 0.5),
    ("Equalization", CF, _cf(LOW)),
    ("AutoContrast", {}, LOW),
    ("AutoContrast", {"value_range": (0, 1)}, UNIT * 0.5 + 0.2),
    # Clip limits whose per-tile limit is a whole number (see docs/preprocessing.md).
    ("ContrastLimitedAdaptiveHistogramEqualization", {"tile_grid_size": (2, 2)},
     RNG.uniform(30, 120, (2, 16, 16, 3)).astype("float32")),
    ("ContrastLimitedAdaptiveHistogramEqualization", {"tile_grid_size": (3, 2),
                                                      "clip_limit": 8.0},
     RNG.uniform(30, 120, (2, 12, 16, 3)).astype("float32")),
    ("ContrastLimitedAdaptiveHistogramEqualization",
     {"tile_grid_size": (4, 4), "clip_limit": 0, "value_range": (0, 1)}, UNIT),
    ("ContrastLimitedAdaptiveHistogramEqualization",
     {"tile_grid_size": (2, 2), "clip_limit": 256 / 42, **CF}, _cf(LOW)),
]


@pytest.mark.parametrize("case", range(len(DETERMINISTIC_CASES)),
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(DETERMINISTIC_CASES)])
def test_deterministic_layers_match_keras(keras, case):
    name, kwargs, data = DETERMINISTIC_CASES[case]
    for training in (True, False):  # Equalization acts in training only, the others always
        run_pair(keras, name, kwargs, data, training=training, atol=1e-3)
        run_pair(keras, name, kwargs, data[0], training=training, atol=1e-3)


def test_constant_channel_is_kept_by_auto_contrast():
    out = numpy(kerasish.layers.AutoContrast()(LOW))
    np.testing.assert_array_equal(out[1, ..., 1], LOW[1, ..., 1])
    assert out[0].min() == 0 and out[0].max() == 255


CONFIG_CASES = [(name, kwargs) for name, kwargs, _ in RANDOM_CASES[::2] + DETERMINISTIC_CASES]


def _json(config):
    return json.loads(json.dumps({k: v for k, v in config.items() if k not in ("dtype", "name")}))


def test_configs_match_keras_and_round_trip(keras):
    for name, kwargs in CONFIG_CASES:
        kwargs = {**kwargs, "seed": 1} if name in {c[0] for c in RANDOM_CASES} else kwargs
        mine = getattr(kerasish.layers, name)(**kwargs)
        theirs = getattr(keras.layers, name)(**kwargs)
        assert _json(mine.get_config()) == _json(theirs.get_config()), name
        again = kerasish.layers.deserialize({"class_name": name, "config": mine.get_config()})
        assert _json(again.get_config()) == _json(mine.get_config()), name
        from_keras = getattr(kerasish.layers, name).from_config(_json(theirs.get_config()))
        assert _json(from_keras.get_config()) == _json(mine.get_config()), name


def _augmenting_model(lib):
    L = lib.layers
    return lib.Sequential([
        lib.Input((8, 8, 3)), L.RandomContrast(0.3, seed=1), L.RandomHue(0.2, seed=2),
        L.RandomErasing(seed=3), L.AutoContrast(),
        L.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2), clip_limit=16.0),
        L.RandomColorJitter(brightness_factor=0.1, hue_factor=0.1, seed=4), L.MixUp(seed=5),
        L.Conv2D(2, 3), L.Flatten(), L.Dense(2)])


def test_keras_files_cross_both_ways(keras, tmp_path):
    x = RNG.uniform(20, 200, (3, 8, 8, 3)).astype("float32")
    theirs = _augmenting_model(keras)
    theirs.save(tmp_path / "k.keras")
    mine = kerasish.models.load_model(tmp_path / "k.keras")
    expected = keras.ops.convert_to_numpy(theirs.predict(x, verbose=0))
    np.testing.assert_allclose(mine.predict(x, verbose=0), expected, rtol=1e-4, atol=1e-4)
    mine.save(tmp_path / "h.keras")
    back = keras.models.load_model(tmp_path / "h.keras")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(back.predict(x, verbose=0)), expected,
                               rtol=1e-4, atol=1e-4)


def test_equalization_in_a_saved_model(tmp_path):
    # Keras cannot put Equalization in a model (its symbolic output is its input: a cycle).
    model = kerasish.Sequential([kerasish.Input((11, 13, 3)), kerasish.layers.Equalization(),
                                 kerasish.layers.Flatten(), kerasish.layers.Dense(2)])
    model.save(tmp_path / "m.keras")
    loaded = kerasish.models.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.predict(LOW, verbose=0), model.predict(LOW, verbose=0))
    trained = numpy(model.layers[0](LOW, training=True))
    assert not np.allclose(trained, LOW)  # equalized in training, the identity in predict


def test_random_layers_are_identity_in_inference():
    for name, kwargs, data in RANDOM_CASES:
        if isinstance(data, dict):
            continue
        model = kerasish.Sequential([kerasish.Input(data.shape[1:]),
                                     getattr(kerasish.layers, name)(**kwargs)])
        np.testing.assert_array_equal(model.predict(data, verbose=0), data, err_msg=name)


def test_torch_inputs_stay_torch_and_unseeded_layers_vary():
    layer = kerasish.layers.RandomBrightness(0.5)
    x = torch.from_numpy(IMAGES)
    first, second = layer(x, training=True), layer(x, training=True)
    assert isinstance(first, torch.Tensor) and first.device == x.device
    assert not torch.equal(first, second)


def test_grayscale_probability():
    layer = kerasish.layers.RandomGrayscale(factor=0.25, seed=5)
    batch = np.repeat(IMAGES[:1], 400, axis=0)
    out = numpy(layer(batch, training=True))
    gray = np.all(out[..., :1] == out, axis=(1, 2, 3))
    assert 0.18 < gray.mean() < 0.32


def test_mix_up_keeps_boxes_of_both_images():
    boxes = {"boxes": np.tile(np.array([[[0, 0, 2, 2]]], "float32"), (4, 1, 1)),
             "labels": np.arange(4, dtype="int32").reshape(4, 1)}
    out = kerasish.layers.MixUp(seed=1, bounding_box_format="xyxy")(
        {"images": IMAGES, "bounding_boxes": boxes}, training=True)
    assert tuple(out["bounding_boxes"]["boxes"].shape) == (4, 2, 4)
    labels = numpy(out["bounding_boxes"]["labels"])
    assert labels.shape == (4, 2) and sorted(labels[:, 1]) == [0, 1, 2, 3]


BAD_ARGUMENTS = [
    ("RandomContrast", {"factor": 1.5}, "factor=1.5"),
    ("RandomContrast", {"factor": 0.2, "value_range": (0, 0)}, "value_range="),
    ("RandomBrightness", {"factor": 0.2, "value_range": 255}, "value_range=255"),
    ("RandomBrightness", {"factor": (0.1, 0.2, 0.3)}, "factor="),
    ("RandomHue", {"factor": -0.5}, "factor=-0.5"),
    ("RandomGrayscale", {"factor": 2}, "factor=2"),
    ("RandomPosterization", {"factor": 9}, "factor=9"),
    ("Solarization", {"addition_factor": 1.5}, "addition_factor=1.5"),
    ("RandomErasing", {"fill_value": "red"}, "fill_value='red'"),
    ("RandomErasing", {"scale": (0.5, 2.0)}, "scale="),
    ("RandomGaussianBlur", {"kernel_size": 4}, "kernel_size=4"),
    ("RandomGaussianBlur", {"sigma": 3.0}, "sigma=3.0"),
    ("MixUp", {"alpha": 0}, "alpha=0"),
    ("Equalization", {"bins": 1}, "bins=1"),
    ("Equalization", {"value_range": [1]}, "value_range=[1]"),
    ("ContrastLimitedAdaptiveHistogramEqualization", {"tile_grid_size": (0, 2)},
     "tile_grid_size="),
    ("AutoContrast", {"value_range": (0, "255")}, "value_range="),
]


def test_bad_arguments_get_clear_errors():
    for name, kwargs, match in BAD_ARGUMENTS:
        with pytest.raises(ValueError, match="Received: .*" + re.escape(match)):
            getattr(kerasish.layers, name)(**kwargs)


def test_bad_inputs_get_clear_errors():
    with pytest.raises(ValueError, match="rank 3 or 4"):
        kerasish.layers.RandomContrast(0.2)(np.zeros((2, 2, 4, 4, 3), "float32"), training=True)
    with pytest.raises(NotImplementedError, match="bounding boxes"):
        kerasish.layers.CutMix(bounding_box_format="xyxy")(
            {"images": IMAGES, "bounding_boxes": {"boxes": np.zeros((4, 1, 4), "float32"),
                                                  "labels": np.zeros((4, 1), "int32")}},
            training=True)


def test_layers_in_a_dataset_pipeline_feed_fit():
    # CutMix/MixUp mix labels, so they run in the data pipeline (on numpy batches), as in Keras.
    labels = np.eye(4, dtype="float32")[np.arange(8) % 4]
    images = RNG.uniform(0, 255, (8, 6, 5, 3)).astype("float32")
    mix = kerasish.layers.CutMix(seed=1)
    ds = kerasish.utils.Dataset.from_tensor_slices({"images": images, "labels": labels})
    ds = ds.batch(4).map(lambda d: mix(d)).map(lambda d: (d["images"], d["labels"]))
    batches = list(ds.as_numpy_iterator())
    assert len(batches) == 2 and batches[0][1].shape == (4, 4)
    assert not np.array_equal(np.concatenate([b[1] for b in batches]), labels)  # mixed
    model = kerasish.Sequential([kerasish.Input((6, 5, 3)),
                                 kerasish.layers.RandomContrast(0.2, seed=2),
                                 kerasish.layers.Flatten(), kerasish.layers.Dense(4)])
    model.compile(optimizer="sgd",
                  loss=kerasish.losses.CategoricalCrossentropy(from_logits=True))
    history = model.fit(ds, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
