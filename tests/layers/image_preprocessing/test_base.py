"""The image preprocessing base class, `RandomFlip`, and `kerasish.utils.bounding_boxes`, against
real Keras 3 on the torch backend."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish.layers.preprocessing.image.base_image_layer import BaseImagePreprocessingLayer
from tests.layers.image_preprocessing.utils import assert_tree_close, numpy, run_pair

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, (4, 6, 5, 3)).astype("float32")
BOXES = {"boxes": np.array([[[1, 1, 3, 4], [0, 2, 5, 6]]] * 4, "float32"),
         "labels": np.array([[1, 2]] * 4, "int32")}


@pytest.mark.parametrize("mode", ["horizontal", "vertical", "horizontal_and_vertical"])
def test_random_flip_matches_keras_over_calls(keras, mode):
    # A seeded layer draws Keras's values, call after call (its SeedGenerator advances).
    run_pair(keras, "RandomFlip", {"mode": mode, "seed": 7}, IMAGES, calls=3)


def test_random_flip_dict_inputs_match_keras(keras):
    data = {"images": IMAGES, "labels": np.eye(4, dtype="float32"), "bounding_boxes": BOXES,
            "segmentation_masks": (IMAGES[..., :1] > 128).astype("float32")}
    run_pair(keras, "RandomFlip", {"seed": 3, "bounding_box_format": "xyxy"}, data, calls=2)


def test_random_flip_unbatched_and_channels_first_match_keras(keras):
    run_pair(keras, "RandomFlip", {"seed": 11}, IMAGES[0], calls=3)
    data = {"images": IMAGES[0], "bounding_boxes": {k: v[0] for k, v in BOXES.items()}}
    run_pair(keras, "RandomFlip", {"seed": 5, "bounding_box_format": "rel_xyxy"},
             {"images": data["images"], "bounding_boxes": {
                 "boxes": BOXES["boxes"][0] / 10, "labels": BOXES["labels"][0]}}, calls=2)
    run_pair(keras, "RandomFlip", {"seed": 2, "data_format": "channels_first"},
             IMAGES.transpose(0, 3, 1, 2), calls=2)


def test_random_layers_are_identity_at_inference_and_augment_when_called_bare():
    layer = kerasish.layers.RandomFlip(seed=1)
    uint8 = IMAGES.astype("uint8")
    out = layer(uint8, training=False)
    assert out.dtype == torch.float32  # Keras casts to the compute dtype, even at inference
    np.testing.assert_array_equal(numpy(out), uint8.astype("float32"))
    # A bare call trains, as Keras's `call(data, training=True)`: some image of 16 flips.
    batch = np.repeat(IMAGES[:1], 16, axis=0)
    assert not np.array_equal(numpy(layer(batch)), batch)
    model = kerasish.Sequential([kerasish.Input((6, 5, 3)), kerasish.layers.RandomFlip(seed=1)])
    np.testing.assert_array_equal(model.predict(batch, verbose=0), batch)


def test_numpy_inputs_give_cpu_tensors_and_torch_inputs_stay_torch():
    layer = kerasish.layers.RandomFlip(seed=1)
    out = layer(IMAGES)
    assert isinstance(out, torch.Tensor) and out.device.type == "cpu"
    out = layer({"images": list(IMAGES), "labels": [0, 1, 2, 3]})
    assert out["images"].shape == (4, 6, 5, 3) and isinstance(out["labels"], torch.Tensor)


def test_ragged_box_lists_are_padded_batched_and_unbatched():
    layer = kerasish.layers.RandomFlip("horizontal", seed=1, bounding_box_format="xyxy")
    boxes = {"boxes": [[[0, 0, 1, 1]], [[0, 0, 1, 1], [1, 1, 2, 3]]], "labels": [[1], [1, 2]]}
    out = layer({"images": np.zeros((2, 4, 4, 1)), "bounding_boxes": boxes}, training=False)
    np.testing.assert_array_equal(numpy(out["bounding_boxes"]["boxes"]),
                                  [[[0, 0, 1, 1], [0, 0, 0, 0]], [[0, 0, 1, 1], [1, 1, 2, 3]]])
    np.testing.assert_array_equal(numpy(out["bounding_boxes"]["labels"]), [[1, -1], [1, 2]])
    single = {"boxes": [[0, 0, 1, 2]], "labels": [3]}
    out = layer({"images": np.zeros((4, 4, 1)), "bounding_boxes": single}, training=True)
    assert out["bounding_boxes"]["boxes"].shape == (1, 4)
    assert numpy(out["bounding_boxes"]["boxes"])[0, 1:].tolist() in ([0, 1, 2], [0, 4, 2])


def test_dict_input_is_not_modified_in_place():
    data = {"images": IMAGES}
    kerasish.layers.RandomFlip(seed=1)(data)
    assert data["images"] is IMAGES


def test_unseeded_flip_is_a_fair_coin():
    layer = kerasish.layers.RandomFlip("horizontal")
    batch = np.repeat(IMAGES[:1], 400, axis=0)
    flipped = numpy(layer(batch))
    rate = np.mean([not np.array_equal(f, IMAGES[0]) for f in flipped])
    assert 0.4 < rate < 0.6, rate
    again = numpy(layer(batch))
    assert not np.array_equal(flipped, again)  # the generator advances between calls


def test_clear_errors():
    layer = kerasish.layers.RandomFlip()
    with pytest.raises(ValueError, match="same size.*Received: image shapes"):
        layer([np.zeros((4, 4, 3)), np.zeros((5, 4, 3))])
    with pytest.raises(ValueError, match="rank 3.*or 4.*Received: data.shape=\\(4, 4\\)"):
        layer(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="bounding_box_format"):
        layer({"images": IMAGES, "bounding_boxes": BOXES})
    with pytest.raises(ValueError, match="Received: keys"):
        layer({"image": IMAGES})
    with pytest.raises(ValueError, match="Received: mode='diagonal'"):
        kerasish.layers.RandomFlip("diagonal")
    with pytest.raises(ValueError, match="does not take a `factor`"):
        kerasish.layers.RandomFlip(factor=0.3)
    with pytest.raises(ValueError, match="'boxes' and 'labels'"):
        kerasish.layers.RandomFlip(bounding_box_format="xyxy")(
            {"images": IMAGES, "bounding_boxes": {"boxes": BOXES["boxes"]}})


class _Factored(BaseImagePreprocessingLayer):
    _FACTOR_BOUNDS = (0, 2)


@pytest.mark.parametrize("factor,expected", [(0.5, (0, 0.5)), ((0.2, 1.5), (0.2, 1.5)),
                                             ([1.5, 0.2], (0.2, 1.5))])
def test_factor_parsing_follows_keras(factor, expected):
    assert _Factored(factor=factor).factor == pytest.approx(expected)


@pytest.mark.parametrize("factor", [3, (0.1,), "big", (3, 4)])
def test_bad_factor_is_refused(factor):
    with pytest.raises(ValueError, match="Received: factor="):
        _Factored(factor=factor)


def test_value_range_and_affine_helpers_match_keras(keras):
    from keras.src.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer \
        import BaseImagePreprocessingLayer as KBase

    k, n = KBase(), _Factored()
    x = IMAGES[:2]
    assert_tree_close(n._transform_value_range(torch.tensor(x), (0, 255), (-1, 1)),
                      k._transform_value_range(keras.ops.convert_to_tensor(x), (0, 255), (-1, 1)))
    args = [np.array(v, "float32") for v in ([0.5, 0.4], [0.5, 0.6], [10.0, -30.0], [1.0, -2.0],
                                             [0.5, 3.0], [1.2, 0.8], [5.0, 0.0], [0.0, -7.0])]
    expected = k._compute_affine_matrix(*[keras.ops.convert_to_tensor(a) for a in args], 6, 5)
    actual = n._compute_affine_matrix(*[torch.tensor(a) for a in args], 6, 5)
    assert_tree_close(actual, expected)


def test_flip_config_and_keras_file_round_trip(keras, tmp_path):
    layer = kerasish.layers.RandomFlip("vertical", seed=4, bounding_box_format="xyxy")
    clone = kerasish.layers.RandomFlip.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    k_layer = keras.layers.RandomFlip("vertical", seed=4, bounding_box_format="xyxy")
    theirs = k_layer.get_config()
    ours = layer.get_config()
    assert {k: v for k, v in ours.items() if k not in ("name", "dtype")} == \
        {k: v for k, v in theirs.items() if k not in ("name", "dtype")}


# ------------------------------------------------------------------- bounding boxes
FORMATS = ["xyxy", "yxyx", "xywh", "center_xywh", "center_yxhw", "rel_xyxy", "rel_yxyx",
           "rel_xywh", "rel_center_xywh"]
B = np.array([[[2.0, 3.0, 9.0, 7.0], [-1.0, 0.5, 4.0, 12.0]]], "float32")


@pytest.mark.parametrize("target", FORMATS)
@pytest.mark.parametrize("source", ["xyxy", "rel_center_xywh", "yxyx"])
def test_convert_format_matches_keras(keras, source, target):
    ours = kerasish.utils.bounding_boxes.convert_format(B, source, target, height=10, width=20)
    theirs = keras.utils.bounding_boxes.convert_format(B, source, target, height=10, width=20)
    assert_tree_close(ours, theirs, atol=1e-6)


def test_box_geometry_matches_keras(keras):
    ours, theirs = kerasish.utils.bounding_boxes, keras.utils.bounding_boxes
    boxes = {"boxes": B, "labels": np.array([[1, 2]], "int32")}
    assert_tree_close(ours.clip_to_image_size(boxes, 6, 8), theirs.clip_to_image_size(
        {"boxes": B.copy(), "labels": boxes["labels"]}, 6, 8))
    assert_tree_close(ours.crop(B, 1, 2, 5, 6), theirs.crop(B, 1, 2, 5, 6))
    assert_tree_close(ours.pad(B, 1, 2), theirs.pad(B, 1, 2))
    args = [np.array([v], "float32") for v in (20.0, 0.1, -0.2, 1.3, 5.0, -4.0)]
    assert_tree_close(ours.affine_transform(B, *args, 10, 20),
                      theirs.affine_transform(B, *[keras.ops.convert_to_tensor(a) for a in args],
                                              10, 20), atol=1e-4)


def test_iou_and_deltas_match_keras(keras):
    ours, theirs = kerasish.utils.bounding_boxes, keras.utils.bounding_boxes
    a = np.abs(B[0]) + np.array([0, 0, 1, 1], "float32")
    b = a[::-1] + 0.5
    assert_tree_close(ours.compute_iou(a, b, "xyxy"), theirs.compute_iou(a, b, "xyxy"))
    masked = np.concatenate([B, -np.ones((1, 1, 4), "float32")], axis=1)  # a padding box
    assert_tree_close(ours.compute_iou(masked, masked, "xyxy", use_masking=True),
                      theirs.compute_iou(masked, masked, "xyxy", use_masking=True))
    assert_tree_close(ours.compute_ciou(a, b, "xyxy"), theirs.compute_ciou(a, b, "xyxy"))
    deltas = ours.encode_box_to_deltas(a, b, "xyxy", "xyxy", variance=[0.1, 0.1, 0.2, 0.2])
    assert_tree_close(deltas, theirs.encode_box_to_deltas(a, b, "xyxy", "xyxy",
                                                          variance=[0.1, 0.1, 0.2, 0.2]))
    assert_tree_close(ours.decode_deltas_to_boxes(a, deltas, "xyxy", "xywh"),
                      theirs.decode_deltas_to_boxes(a, keras.ops.convert_to_tensor(numpy(deltas)),
                                                     "xyxy", "xywh"))


def test_box_errors_are_clear():
    with pytest.raises(ValueError, match="Received: source='xyz'"):
        kerasish.utils.bounding_boxes.convert_format(B, "xyz", "xyxy")
    with pytest.raises(ValueError, match="height"):
        kerasish.utils.bounding_boxes.convert_format(B, "rel_xyxy", "xyxy")
    with pytest.raises(ValueError, match="last dimension of 4"):
        kerasish.utils.bounding_boxes.convert_format(B[..., :3], "xyxy", "xywh")


def test_keras_files_load_both_ways(keras, tmp_path):
    x = IMAGES[:2] / 255.0
    theirs = keras.Sequential([keras.Input((6, 5, 3)), keras.layers.RandomFlip("horizontal", seed=3),
                               keras.layers.Flatten(), keras.layers.Dense(2)])
    theirs.save(tmp_path / "k.keras")
    ours = kerasish.models.load_model(tmp_path / "k.keras")
    assert ours.layers[0].get_config()["mode"] == "horizontal"
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
    ours.save(tmp_path / "n.keras")
    back = keras.models.load_model(tmp_path / "n.keras")
    assert back.layers[0].get_config()["seed"] == 3
    np.testing.assert_allclose(back.predict(x, verbose=0), theirs.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
