"""`kerasish.visualization` draws and plots what Keras 3.15 does: the same mask pixels, the same
OpenCV drawing calls, the same gallery PNGs."""

import matplotlib
import numpy as np
import pytest

import kerasish
from kerasish.visualization import draw as our_draw

matplotlib.use("Agg")


def _images(rng, n=3, size=8):
    return rng.uniform(0, 255, size=(n, size, size, 3)).astype("float32")


def _masks(rng, n=3, size=8, classes=4):
    return rng.integers(-1, classes, size=(n, size, size, 1)).astype("int32")


@pytest.mark.parametrize("kwargs", [{"num_classes": 4}, {"num_classes": 5, "alpha": 0.3},
                                    {"blend": False, "num_classes": 4},
                                    {"color_mapping": {0: (255, 0, 0), 1: (0, 255, 0), 2: (0, 0, 255), 3: (9, 9, 9)},
                                     "num_classes": 4, "ignore_index": 2}])
def test_draw_segmentation_masks_matches_keras(keras, rng, kwargs):
    images, masks = _images(rng), _masks(rng)
    ours = kerasish.visualization.draw_segmentation_masks(images, masks, **kwargs)
    theirs = keras.ops.convert_to_numpy(keras.visualization.draw_segmentation_masks(images, masks, **kwargs))
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def _png(path):
    return matplotlib.image.imread(path)


def test_image_galleries_match_keras(keras, rng, tmp_path):
    images = _images(rng, n=4) / 255.0
    labels = np.array([0, 1, 1, 0])
    for lib in (kerasish, keras):
        lib.visualization.plot_image_gallery(images, y_true=labels, y_pred=labels[::-1],
                                             label_map={0: "cat", 1: "dog"}, value_range=(0, 1),
                                             path=tmp_path / f"{lib.__name__}.png")
    np.testing.assert_array_equal(_png(tmp_path / "kerasish.png"), _png(tmp_path / "keras.png"))
    images, masks = _images(rng, n=2), _masks(rng, n=2)
    for lib in (kerasish, keras):
        lib.visualization.plot_segmentation_mask_gallery(images, num_classes=4, y_true=masks,
                                                         y_pred=masks[::-1], path=tmp_path / f"s_{lib.__name__}.png")
    np.testing.assert_array_equal(_png(tmp_path / "s_kerasish.png"), _png(tmp_path / "s_keras.png"))


class _RecordingCV2:
    """Stands in for OpenCV (not a test dependency): records the drawing calls."""

    FONT_HERSHEY_SIMPLEX = 0

    def __init__(self):
        self.calls = []

    def rectangle(self, image, p1, p2, color, thickness):
        self.calls.append(("rectangle", image.shape, p1, p2, tuple(color), thickness))

    def putText(self, img, text, org, fontFace, fontScale, color, thickness):  # noqa: N802,N803
        self.calls.append(("putText", text, tuple(org), fontScale, tuple(color), thickness))


def test_bounding_boxes_make_keras_drawing_calls(keras, monkeypatch, rng, tmp_path):
    import keras.src.visualization.draw_bounding_boxes as keras_draw

    ours_cv2, theirs_cv2 = _RecordingCV2(), _RecordingCV2()
    monkeypatch.setattr(our_draw, "cv2", ours_cv2)
    monkeypatch.setattr(keras_draw, "cv2", theirs_cv2)
    images = _images(rng, n=2, size=40)
    boxes = {"boxes": np.array([[[2, 3, 10, 12], [5, 1, 20, 30]], [[0, 0, 8, 8], [1, 1, 2, 2]]], "float32"),
             "labels": np.array([[0, 1], [1, -1]]), "confidences": np.array([[0.9, 0.5], [0.25, 0.1]])}
    kwargs = dict(bounding_box_format="xywh", class_mapping={0: "cat", 1: "dog"}, color=(1, 2, 3))
    ours = kerasish.visualization.draw_bounding_boxes(images, boxes, **kwargs)
    theirs = keras.visualization.draw_bounding_boxes(images, boxes, **kwargs)
    assert ours_cv2.calls == theirs_cv2.calls and len(ours_cv2.calls) == 6
    np.testing.assert_array_equal(ours, theirs)
    for lib in (kerasish, keras):
        lib.visualization.plot_bounding_box_gallery(images, "xywh", y_true=boxes, y_pred=boxes, legend=True,
                                                    class_mapping={0: "cat"}, path=tmp_path / f"{lib.__name__}.png")
    assert ours_cv2.calls == theirs_cv2.calls
    np.testing.assert_array_equal(_png(tmp_path / "kerasish.png"), _png(tmp_path / "keras.png"))


def test_default_num_classes_colours_every_label(rng):
    """Keras 3.15 counts max(label) classes (its torch backend then fails on the largest label);
    kerasish colours labels 0..max."""
    images, masks = _images(rng), _masks(rng)
    default = kerasish.visualization.draw_segmentation_masks(images, masks)
    explicit = kerasish.visualization.draw_segmentation_masks(images, masks, num_classes=4)
    np.testing.assert_array_equal(default, explicit)
    with pytest.raises(ValueError, match="Received: num_classes=2"):
        kerasish.visualization.draw_segmentation_masks(images, masks, num_classes=2)


def test_bad_input_gets_clear_errors(monkeypatch, rng):
    with pytest.raises(ValueError, match="Received: images.shape=\\(8, 8, 3\\)"):
        kerasish.visualization.draw_segmentation_masks(_images(rng)[0], _masks(rng)[0])
    with pytest.raises(TypeError, match="Received: segmentation_masks.dtype=float32"):
        kerasish.visualization.draw_segmentation_masks(_images(rng), _masks(rng).astype("float32"))
    with pytest.raises(ValueError, match="Received: label_map=None"):
        kerasish.visualization.plot_image_gallery(_images(rng), y_true=[0, 1, 2], path="x.png")
    monkeypatch.setattr(our_draw, "cv2", None)
    with pytest.raises(ImportError, match="opencv-python"):
        kerasish.visualization.draw_bounding_boxes(_images(rng), {"boxes": [], "labels": []}, "xyxy")
    monkeypatch.setattr(our_draw, "cv2", _RecordingCV2())
    with pytest.raises(ValueError, match="'boxes' and 'labels'"):
        kerasish.visualization.draw_bounding_boxes(_images(rng), {"boxes": []}, "xyxy")
