"""`ImageDataGenerator` (torch warps) against Keras 3's scipy implementation; image files."""

import numpy as np
import pytest

from kerasish.preprocessing import image

PARAMS = [
    {"theta": 90},
    {"tx": 2, "ty": -3},
    {"theta": 17.5, "shear": 10, "zx": 0.9, "zy": 1.2},
    {"tx": 1.5, "zx": 1.3, "zy": 0.8, "flip_horizontal": True, "channel_shift_intensity": 0.3},
]


@pytest.fixture
def k_image(keras):
    from keras.src.legacy.preprocessing import image as k_image

    return k_image


@pytest.mark.parametrize("params", PARAMS)
@pytest.mark.parametrize("fill_mode", ["nearest", "constant", "reflect"])
def test_apply_transform_matches_keras(k_image, params, fill_mode):
    x = np.random.default_rng(0).random((12, 10, 3)).astype("float32")
    ours = image.ImageDataGenerator(fill_mode=fill_mode, cval=0.25).apply_transform(x, params)
    theirs = k_image.ImageDataGenerator(fill_mode=fill_mode, cval=0.25).apply_transform(x, params)
    # scipy and grid_sample round differently exactly on pixel edges: compare all but a 1-pixel frame.
    np.testing.assert_allclose(ours[1:-1, 1:-1], theirs[1:-1, 1:-1], atol=1e-4)
    assert np.mean(np.abs(ours - theirs) < 1e-4) > 0.9


def test_random_flow_matches_keras_with_seed(k_image):
    rng = np.random.default_rng(1)
    x = rng.random((6, 16, 16, 3)).astype("float32") * 255
    y = np.arange(6)
    kwargs = dict(rotation_range=30, width_shift_range=0.1, height_shift_range=2, shear_range=5,
                  zoom_range=0.2, horizontal_flip=True, rescale=1 / 255.0, samplewise_center=True)
    ours = image.ImageDataGenerator(**kwargs).flow(x, y, batch_size=3, seed=5)[1]
    theirs = k_image.ImageDataGenerator(**kwargs).flow(x, y, batch_size=3, seed=5)[1]
    np.testing.assert_array_equal(ours[1], theirs[1])
    np.testing.assert_allclose(ours[0][:, 2:-2, 2:-2], theirs[0][:, 2:-2, 2:-2], atol=1e-4)


def test_fit_featurewise_matches_keras(k_image):
    x = np.random.default_rng(2).random((20, 4, 4, 3)).astype("float32")
    kwargs = dict(featurewise_center=True, featurewise_std_normalization=True)
    ours, theirs = image.ImageDataGenerator(**kwargs), k_image.ImageDataGenerator(**kwargs)
    ours.fit(x)
    theirs.fit(x)
    np.testing.assert_allclose(ours.mean, theirs.mean, rtol=1e-5)
    np.testing.assert_allclose(ours.std, theirs.std, rtol=1e-5)
    np.testing.assert_allclose(ours.standardize(x[:2].copy()), theirs.standardize(x[:2].copy()), rtol=1e-3,
                               atol=1e-3)


def test_flow_validation_split_and_next():
    x = np.zeros((10, 4, 4, 1), dtype="float32")
    y = np.array([0, 1] * 5)
    gen = image.ImageDataGenerator(validation_split=0.2)
    train = gen.flow(x, y, batch_size=4, subset="training")
    val = gen.flow(x, y, batch_size=4, subset="validation")
    assert (train.n, val.n, len(train)) == (8, 2, 2)
    xb, yb = next(train)
    assert xb.shape == (4, 4, 4, 1) and yb.shape == (4,)
    with pytest.raises(ValueError, match="subset"):
        gen.flow(x, y, subset="test")
    with pytest.raises(ValueError, match="fill_mode"):
        image.ImageDataGenerator(fill_mode="mirror")


def test_flow_from_directory_and_image_files(tmp_path):
    rng = np.random.default_rng(3)
    for cls in ("cats", "dogs"):
        (tmp_path / cls).mkdir()
        for i in range(3):
            image.save_img(str(tmp_path / cls / f"{i}.png"), rng.integers(0, 255, (9, 7, 3)).astype("float32"),
                           scale=False)
    loaded = image.img_to_array(image.load_img(str(tmp_path / "cats" / "0.png")))
    assert loaded.shape == (9, 7, 3) and loaded.dtype == np.float32
    gen = image.ImageDataGenerator(rescale=1 / 255.0).flow_from_directory(
        str(tmp_path), target_size=(5, 6), batch_size=4, shuffle=False)
    assert gen.class_indices == {"cats": 0, "dogs": 1}
    assert gen.filenames[0] == "cats/0.png"
    xb, yb = gen[1]
    assert xb.shape == (2, 5, 6, 3) and xb.max() <= 1.0
    np.testing.assert_array_equal(yb, [[0, 1], [0, 1]])
    sparse = image.ImageDataGenerator().flow_from_directory(str(tmp_path), target_size=(5, 6),
                                                            class_mode="sparse", shuffle=False, color_mode="grayscale")
    assert sparse[0][0].shape == (6, 5, 6, 1) and sparse[0][1].tolist() == [0, 0, 0, 1, 1, 1]
    from kerasish.utils import image_dataset_from_directory

    ds = image_dataset_from_directory(str(tmp_path), image_size=(5, 6), batch_size=4, label_mode="categorical",
                                      validation_split=0.5, subset="validation", seed=1)
    assert ds.class_names == ["cats", "dogs"] and sum(len(b[0]) for b in ds) == 3
