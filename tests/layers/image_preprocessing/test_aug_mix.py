"""`AugMix` and `RandAugment` against real Keras 3 (torch backend), seeded."""

import json
import random

import numpy as np
import pytest

import kerasish
from tests.layers.image_preprocessing.utils import assert_tree_close, copy_input, numpy

RNG = np.random.default_rng(1)
IMAGES = RNG.uniform(0, 255, (3, 12, 10, 3)).astype("float32")


@pytest.fixture(scope="module")
def keras():
    """Real Keras 3, without the per-test `clear_session` (a full gc pass, ~1 s each): nothing
    here depends on Keras's global state (seeds are explicit)."""
    import keras as real_keras

    assert real_keras.backend.backend() == "torch"
    return real_keras


@pytest.fixture
def keras_brightness_out_of_place(keras, monkeypatch):
    """Keras's RandomBrightness adds in place on the torch backend (`images += delta`), so inside
    RandAugment, which runs every operation and keeps the drawn one with `where`, the brightness
    change leaks into the image whichever operation was drawn. The reference is patched to add
    out of place, as Keras's other backends (immutable arrays) behave."""
    from keras.src.layers.preprocessing.image_preprocessing import random_brightness

    original = random_brightness.RandomBrightness.transform_images

    def out_of_place(self, images, transformation, training=True):
        return original(self, images + 0, transformation, training)

    monkeypatch.setattr(random_brightness.RandomBrightness, "transform_images", out_of_place)
    return keras


def _pair(keras, name, kwargs, data, calls=2, training=True):
    theirs = getattr(keras.layers, name)(**kwargs)
    mine = getattr(kerasish.layers, name)(**kwargs)
    for call in range(calls):
        # AugMix picks its operations with Python's `random`, as Keras does.
        random.seed(100 + call)
        expected = theirs(copy_input(data), training=training)
        random.seed(100 + call)
        assert_tree_close(mine(copy_input(data), training=training), expected, 1e-4, 1e-2)


CASES = [
    ("RandAugment", {"seed": 1}, IMAGES),
    ("RandAugment", {"seed": 2, "num_ops": 3, "factor": (0.2, 0.6)}, IMAGES),
    ("RandAugment", {"seed": 3, "value_range": (0, 1)}, IMAGES / 255),
    ("RandAugment", {"seed": 4, "data_format": "channels_first"},
     np.ascontiguousarray(IMAGES.transpose(0, 3, 1, 2))),
    ("AugMix", {"seed": 1}, IMAGES),
    ("AugMix", {"seed": 2, "all_ops": False, "num_chains": 2, "chain_depth": 2, "alpha": 0.5},
     IMAGES),
    ("AugMix", {"seed": 5, "value_range": (0, 1)}, IMAGES / 255),
]


@pytest.mark.parametrize("case", range(len(CASES)),
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_matches_keras(keras_brightness_out_of_place, case):
    name, kwargs, data = CASES[case]
    keras = keras_brightness_out_of_place
    _pair(keras, name, kwargs, data, training=False, calls=1)
    _pair(keras, name, kwargs, data)
    _pair(keras, name, kwargs, data[0], calls=1)


def _json(config):
    return json.loads(json.dumps({k: v for k, v in config.items() if k not in ("dtype", "name")}))


def test_configs_and_keras_files(keras, tmp_path):
    for name, kwargs, _ in CASES:
        mine = getattr(kerasish.layers, name)(**kwargs)
        assert _json(mine.get_config()) == _json(getattr(keras.layers, name)(**kwargs).get_config())
        again = kerasish.layers.deserialize({"class_name": name, "config": mine.get_config()})
        assert _json(again.get_config()) == _json(mine.get_config())
    L = keras.layers
    theirs = keras.Sequential([keras.Input((12, 10, 3)), L.RandAugment(seed=1),
                               L.AugMix(seed=2), L.Flatten(), L.Dense(2)])
    theirs.save(tmp_path / "k.keras")
    loaded = kerasish.models.load_model(tmp_path / "k.keras")
    expected = keras.ops.convert_to_numpy(theirs.predict(IMAGES, verbose=0))
    np.testing.assert_allclose(loaded.predict(IMAGES, verbose=0), expected, rtol=1e-5, atol=1e-4)
    loaded.save(tmp_path / "h.keras")
    back = keras.models.load_model(tmp_path / "h.keras")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(back.predict(IMAGES, verbose=0)),
                               expected, rtol=1e-5, atol=1e-4)


def test_segmentation_masks_follow_the_geometry():
    masks = np.zeros((3, 12, 10, 1), "float32")
    masks[:, 3:8, 2:6] = 1.0
    layer = kerasish.layers.RandAugment(num_ops=4, factor=0.9, seed=3)
    out = layer({"images": IMAGES, "segmentation_masks": masks}, training=True)
    assert out["images"].shape == IMAGES.shape and out["segmentation_masks"].shape == masks.shape
    assert set(np.unique(numpy(out["segmentation_masks"]))) <= {0.0, 1.0}  # nearest, not mixed


def test_bad_arguments():
    for name, kwargs, match in [("AugMix", {"num_chains": 0}, "num_chains=0"),
                                ("AugMix", {"alpha": -1.0}, "alpha=-1.0"),
                                ("AugMix", {"factor": 2.0}, "factor=2.0"),
                                ("RandAugment", {"num_ops": -1}, "num_ops=-1"),
                                ("RandAugment", {"value_range": (1, 1)}, "value_range=")]:
        with pytest.raises(ValueError, match="Received: .*" + match.replace("(", r"\(")):
            getattr(kerasish.layers, name)(**kwargs)
