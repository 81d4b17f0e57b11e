"""Geometric image layers against real Keras 3 (torch backend): seeded random layers draw Keras's
values, so outputs and bounding boxes match call after call."""

import numpy as np
import pytest
import torch

import kerasish
from tests.layers.image_preprocessing.utils import assert_tree_close, numpy, run_pair

RNG = np.random.default_rng(1)
IMAGES = RNG.uniform(0, 255, (3, 8, 10, 2)).astype("float32")
BOXES = {"boxes": np.array([[[1, 1, 4, 5], [2, 0, 9, 7]]] * 3, "float32"),
         "labels": np.array([[1, 2]] * 3, "int32")}


def _with_boxes(images=IMAGES, boxes=BOXES):
    return {"images": images, "bounding_boxes": {k: v.copy() for k, v in boxes.items()},
            "labels": np.eye(3, dtype="float32"),
            "segmentation_masks": (images[..., :1] > 128).astype("float32")}


# (class name, kwargs, whether Keras's boxes are comparable)
RANDOM = [
    ("RandomRotation", {"factor": 0.2}),
    ("RandomRotation", {"factor": (-0.1, 0.3), "fill_mode": "constant", "fill_value": 3.0,
                        "interpolation": "nearest"}),
    ("RandomZoom", {"height_factor": 0.3}),
    ("RandomZoom", {"height_factor": (-0.3, -0.1), "width_factor": (0.1, 0.4),
                    "fill_mode": "wrap"}),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": (-0.3, 0.1)}),
    ("RandomTranslation", {"height_factor": 0.2, "width_factor": 0.2, "fill_mode": "nearest"}),
    ("RandomShear", {"x_factor": 0.3, "y_factor": 0.2}),
    ("RandomPerspective", {"factor": 0.8, "scale": 0.4}),
    # RandomElasticTransform: see test_elastic_transform_draws_keras_parameters.
]


@pytest.mark.parametrize("name,kwargs", RANDOM, ids=lambda v: v if isinstance(v, str) else "")
def test_seeded_random_layers_match_keras(keras, name, kwargs):
    run_pair(keras, name, dict(kwargs, seed=5), IMAGES, calls=2, atol=1e-3)


@pytest.mark.parametrize("name,kwargs", [RANDOM[0], RANDOM[3], RANDOM[4], RANDOM[6], RANDOM[7]],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_seeded_random_layers_move_boxes_as_keras(keras, name, kwargs):
    kwargs = dict(kwargs, seed=9, bounding_box_format="xyxy")
    data = _with_boxes()
    if name == "RandomRotation":
        # Keras 3.15's torch affine_transform edits the rotation matrix in place, so its masks
        # get a different rotation than its images; see test_masks_follow_the_images.
        del data["segmentation_masks"]
    run_pair(keras, name, kwargs, data, calls=2, atol=1e-3)


@pytest.mark.parametrize("name,kwargs", RANDOM[:8:2], ids=lambda v: v if isinstance(v, str) else "")
def test_masks_follow_the_images(name, kwargs):
    # Nearest sampling picks the same source pixel for both, so thresholding commutes with it.
    kwargs = dict(kwargs, seed=9, interpolation="nearest", bounding_box_format="xyxy")
    out = getattr(kerasish.layers, name)(**kwargs)(_with_boxes())
    expected = (numpy(out["images"])[..., :1] > 128).astype("float32")
    np.testing.assert_array_equal(numpy(out["segmentation_masks"]), expected)


def test_unbatched_and_channels_first_match_keras(keras):
    run_pair(keras, "RandomRotation", {"factor": 0.2, "seed": 1}, IMAGES[0], atol=1e-3)
    run_pair(keras, "RandomZoom", {"height_factor": 0.2, "seed": 1, "bounding_box_format": "xyxy"},
             {"images": IMAGES[0], "bounding_boxes": {k: v[0] for k, v in BOXES.items()}},
             atol=1e-3)
    run_pair(keras, "RandomTranslation", {"height_factor": 0.2, "width_factor": 0.2, "seed": 1,
                                          "data_format": "channels_first"},
             IMAGES.transpose(0, 3, 1, 2), atol=1e-3)


@pytest.mark.parametrize("kwargs", [{}, {"interpolation": "nearest"},
                                    {"interpolation": "bicubic", "antialias": True},
                                    {"crop_to_aspect_ratio": True}, {"pad_to_aspect_ratio": True,
                                                                     "fill_value": 7.0}])
def test_resizing_matches_keras(keras, kwargs):
    kwargs = dict(kwargs, height=5, width=4, bounding_box_format="xyxy")
    run_pair(keras, "Resizing", kwargs, _with_boxes(), atol=1e-3)
    run_pair(keras, "Resizing", kwargs, IMAGES.astype("uint8"), training=False, atol=1)


@pytest.mark.parametrize("size", [(4, 6), (10, 12), (3, 11)])
def test_center_crop_matches_keras(keras, size):
    kwargs = {"height": size[0], "width": size[1], "bounding_box_format": "xyxy"}
    run_pair(keras, "CenterCrop", kwargs, _with_boxes(), atol=1e-3)
    run_pair(keras, "CenterCrop", kwargs, IMAGES[0], training=False, atol=1e-3)


def test_rescaling_matches_keras(keras):
    run_pair(keras, "Rescaling", {"scale": 1 / 127.5, "offset": -1}, IMAGES.astype("uint8"))
    run_pair(keras, "Rescaling", {"scale": [0.5, 2.0], "offset": 1.0}, IMAGES)


def test_random_crop_matches_keras_images(keras):
    run_pair(keras, "RandomCrop", {"height": 5, "width": 6, "seed": 3}, IMAGES, calls=3)
    run_pair(keras, "RandomCrop", {"height": 9, "width": 6, "seed": 3}, IMAGES, atol=1e-3)
    out = kerasish.layers.RandomCrop(5, 6)(IMAGES, training=False)
    assert tuple(out.shape) == IMAGES.shape  # Keras 3.15: inference passes images through


def test_random_crop_boxes_move_with_the_window():
    layer = kerasish.layers.RandomCrop(5, 6, seed=3, bounding_box_format="xyxy")
    image = np.zeros((8, 10, 1), "float32")
    image[2:6, 3:7] = 1.0  # a bright box [x 3..7, y 2..6]
    boxes = {"boxes": np.array([[3.0, 2.0, 7.0, 6.0]], "float32"), "labels": np.array([1])}
    for _ in range(4):
        out = layer({"images": image, "bounding_boxes": boxes})
        (x1, y1, x2, y2), = numpy(out["bounding_boxes"]["boxes"]).round().astype(int)
        crop = numpy(out["images"])[..., 0]
        assert crop[y1:y2, x1:x2].all() and crop.sum() == (x2 - x1) * (y2 - y1)


def test_max_num_bounding_boxes_matches_keras(keras):
    for count in (1, 4):
        run_pair(keras, "MaxNumBoundingBoxes", {"max_number": count, "bounding_box_format": "xyxy"},
                 _with_boxes())
    layer = kerasish.layers.MaxNumBoundingBoxes(3, bounding_box_format="xyxy")
    shape = layer.compute_output_shape({"images": (None, 8, 10, 2), "bounding_boxes": {
        "boxes": (None, 2, 4), "labels": (None, 2)}})
    assert shape["bounding_boxes"] == {"boxes": (None, 3, 4), "labels": (None, 3)}


@pytest.mark.parametrize("name,kwargs", RANDOM[::2] + [("RandomFlip", {}),
                                                        ("RandomCrop", {"height": 4, "width": 4})])
def test_inference_is_identity_and_seeds_decide_the_draws(name, kwargs):
    cls = getattr(kerasish.layers, name)
    layer = cls(**kwargs, seed=2)
    if name != "RandomCrop":
        np.testing.assert_array_equal(numpy(layer(IMAGES, training=False)), IMAGES)
    model = kerasish.Sequential([kerasish.Input(IMAGES.shape[1:]), cls(**kwargs, seed=2)])
    np.testing.assert_array_equal(model.predict(IMAGES, verbose=0), IMAGES)
    first, second = cls(**kwargs, seed=2), cls(**kwargs, seed=2)
    a, b = numpy(first(IMAGES, training=True)), numpy(second(IMAGES, training=True))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(numpy(first(IMAGES, training=True)), a)  # the state advances


def test_elastic_transform_draws_keras_parameters(keras):
    # Keras 3.15's torch `elastic_transform` ignores its seed (it draws the displacement fields
    # from torch's global generator), so only the layer's own draws can be compared; kerasish
    # seeds the fields too, so a seeded layer is reproducible.
    kwargs = {"factor": 0.6, "scale": (0.2, 0.8), "seed": 5}
    ours, theirs = kerasish.layers.RandomElasticTransform(**kwargs), \
        keras.layers.RandomElasticTransform(**kwargs)
    for _ in range(2):
        a = ours.get_random_transformation(torch.tensor(IMAGES))
        b = theirs.get_random_transformation(keras.ops.convert_to_tensor(IMAGES))
        assert_tree_close(a["apply_transform"], b["apply_transform"])
        assert_tree_close(a["distortion_factor"], b["distortion_factor"])
    out = numpy(kerasish.layers.RandomElasticTransform(seed=3)(IMAGES))
    again = numpy(kerasish.layers.RandomElasticTransform(seed=3)(IMAGES))
    np.testing.assert_array_equal(out, again)
    assert out.min() >= 0 and out.max() <= 255 and not np.allclose(out, IMAGES)


def test_unseeded_rotation_angles_are_uniform():
    layer = kerasish.layers.RandomRotation((0.0, 0.25))
    angles = layer.get_random_transformation(torch.zeros(2000, 4, 4, 1))["angle"].numpy()
    assert angles.min() >= 0 and angles.max() <= 90
    assert abs(angles.mean() - 45) < 2.5 and abs(angles.std() - 90 / np.sqrt(12)) < 2.5


@pytest.mark.parametrize("name,kwargs", [
    ("RandomRotation", {"factor": 0.1, "fill_mode": "constant", "fill_value": 2.0}),
    ("RandomZoom", {"height_factor": 0.2, "width_factor": (-0.2, 0.3)}),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": 0.2}),
    ("RandomShear", {"x_factor": 0.1}), ("RandomPerspective", {"scale": 0.5}),
    ("RandomElasticTransform", {"value_range": (0, 1)}), ("RandomCrop", {"height": 3, "width": 4}),
    ("Resizing", {"height": 3, "width": 4, "crop_to_aspect_ratio": True}),
    ("CenterCrop", {"height": 3, "width": 4}), ("Rescaling", {"scale": [1.0, 2.0]}),
    ("MaxNumBoundingBoxes", {"max_number": 3, "bounding_box_format": "xyxy"}),
])
def test_configs_round_trip_and_match_keras(keras, name, kwargs):
    ours = getattr(kerasish.layers, name)(**kwargs, **({"seed": 4} if "Random" in name else {}))
    clone = type(ours).from_config(ours.get_config())
    assert clone.get_config() == ours.get_config()
    theirs = getattr(keras.layers, name)(**kwargs, **({"seed": 4} if "Random" in name else {}))
    # Kept on purpose: MaxNumBoundingBoxes's fill_value (Keras drops it from its config, so a
    # reloaded layer pads with -1), RandomShear's factors as given (Keras writes pairs it refuses).
    own = {"name", "dtype"} | ({"fill_value"} if name == "MaxNumBoundingBoxes" else set()) | (
        {"x_factor", "y_factor"} if name == "RandomShear" else set())
    strip = lambda c: {k: (list(v) if isinstance(v, tuple) else v)  # noqa: E731
                       for k, v in c.items() if k not in own}
    assert strip(ours.get_config()) == strip(theirs.get_config())


def test_bad_arguments_are_refused():
    cases = [
        (lambda: kerasish.layers.RandomRotation(1.5), "Received: factor=1.5"),
        (lambda: kerasish.layers.RandomRotation(0.1, fill_mode="edge"), "Received: fill_mode='edge'"),
        (lambda: kerasish.layers.RandomZoom(-1.0), "Received: height_factor=-1.0"),
        (lambda: kerasish.layers.RandomZoom((0.1, 0.2, 0.3)), "height_factor"),
        (lambda: kerasish.layers.RandomTranslation(0.1, "x"), "Received: width_factor='x'"),
        (lambda: kerasish.layers.RandomShear(x_factor=-0.2), "Received: x_factor=-0.2"),
        (lambda: kerasish.layers.RandomPerspective(scale=2), "Received: scale=2"),
        (lambda: kerasish.layers.Resizing(0, 4), "Received: height=0"),
        (lambda: kerasish.layers.Resizing(4, 4, interpolation="area"), "interpolation='area'"),
        (lambda: kerasish.layers.Resizing(4, 4, crop_to_aspect_ratio=True,
                                          pad_to_aspect_ratio=True), "Only one of"),
        (lambda: kerasish.layers.Rescaling("big"), "Received: scale='big'"),
        (lambda: kerasish.layers.MaxNumBoundingBoxes(0), "Received: max_number=0"),
    ]
    for make, message in cases:
        with pytest.raises(ValueError, match=message.replace("(", "\\(").replace(")", "\\)")):
            make()


def test_symbolic_shapes_in_a_functional_model():
    inputs = kerasish.Input((8, 10, 2))
    x = kerasish.layers.RandomRotation(0.1)(inputs)
    x = kerasish.layers.Resizing(4, 5)(x)
    x = kerasish.layers.CenterCrop(3, 3)(x)
    assert tuple(x.shape) == (None, 3, 3, 2)
    model = kerasish.Model(inputs, x)
    assert model.predict(IMAGES, verbose=0).shape == (3, 3, 3, 2)


def _pipeline(lib, shear):
    L = lib.layers
    return [L.Rescaling(1 / 255.0), L.RandomCrop(6, 8, seed=1), L.Resizing(6, 6, antialias=True),
            L.CenterCrop(5, 5), L.RandomRotation(0.1, seed=2), L.RandomZoom(0.1, 0.2, seed=3),
            L.RandomTranslation(0.1, 0.1, seed=4), L.RandomShear(x_factor=shear, seed=5),
            L.RandomPerspective(scale=0.3, seed=6), L.RandomElasticTransform(seed=7),
            L.RandomFlip(seed=8), L.Flatten(), L.Dense(3)]


def test_every_layer_loads_both_ways_in_keras_files(keras, tmp_path):
    x = IMAGES
    # Keras 3.15 cannot reload its own RandomShear config for a non-zero factor: 0 there.
    theirs = keras.Sequential([keras.Input(x.shape[1:])] + _pipeline(keras, 0.0))
    theirs.save(tmp_path / "k.keras")
    ours = kerasish.models.load_model(tmp_path / "k.keras")
    expected = np.asarray(theirs.predict(x, verbose=0))
    np.testing.assert_allclose(ours.predict(x, verbose=0), expected, rtol=1e-4, atol=1e-5)
    mine = kerasish.Sequential([kerasish.Input(x.shape[1:])] + _pipeline(kerasish, 0.2))
    mine.set_weights(theirs.get_weights())
    mine.save(tmp_path / "n.keras")
    back = keras.models.load_model(tmp_path / "n.keras")
    assert tuple(back.layers[7].get_config()["x_factor"]) == (-0.2, 0.2)
    np.testing.assert_allclose(np.asarray(back.predict(x, verbose=0)), expected, rtol=1e-4,
                               atol=1e-5)
