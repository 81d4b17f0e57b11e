"""The directory / array dataset builders: Keras's file order, labels, splits and errors (parity
with the pure-Python parts of Keras 3's own implementation), decoded values, and `fit`."""

import wave

import numpy as np
import pytest
import torch

import kerasish
from kerasish.utils import (audio_dataset_from_directory, image_dataset_from_directory, save_img,
                            split_dataset, text_dataset_from_directory, timeseries_dataset_from_array)
from kerasish.utils import dataset_utils
from kerasish.utils.split_dataset_utils import rescale_split_sizes


@pytest.fixture(scope="module")
def image_dir(tmp_path_factory):
    """3 classes (one with a nested folder), images of various sizes, plus files to ignore."""
    root = tmp_path_factory.mktemp("images")
    rng = np.random.default_rng(0)
    layout = {"cats": 4, "dogs": 3, "zebras": 2}
    for cls, n in layout.items():
        (root / cls / "inner").mkdir(parents=True)
        for i in range(n):
            h, w = 6 + i, 9 - i
            folder = root / cls / ("inner" if i == 0 else "")
            ext = "jpg" if i % 2 else "png"
            save_img(str(folder / f"{cls}{i}.{ext}"), rng.integers(0, 255, (h, w, 3)).astype("float32"), scale=False)
        (root / cls / "notes.txt").write_text("not an image")
    (root / ".hidden").mkdir()
    return root


def test_file_order_labels_and_shuffle_match_keras(keras, image_dir):
    from keras.src.utils import dataset_utils as keras_utils

    formats = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
    for kwargs in ({"labels": "inferred"}, {"labels": "inferred", "class_names": ["zebras", "cats"]},
                   {"labels": None}, {"labels": list(range(9))}):
        for shuffle, seed in ((False, None), (True, 7)):
            ours = dataset_utils.index_directory(str(image_dir), formats=formats, shuffle=shuffle, seed=seed,
                                                 verbose=False, **kwargs)
            theirs = keras_utils.index_directory(str(image_dir), formats=formats, shuffle=shuffle, seed=seed,
                                                 verbose=False, **kwargs)
            assert ours[0] == theirs[0] and ours[2] == theirs[2]
            assert (ours[1] is None) == (theirs[1] is None)
            if ours[1] is not None:
                np.testing.assert_array_equal(ours[1], theirs[1])
    ds = image_dataset_from_directory(str(image_dir), image_size=(4, 5), seed=3, verbose=False)
    paths, labels, names = keras_utils.index_directory(str(image_dir), labels="inferred", formats=formats,
                                                       seed=3, verbose=False)
    assert ds.file_paths == paths and ds.class_names == names == ["cats", "dogs", "zebras"]
    by_path = dict(zip(paths, labels))
    seen = sorted(int(v) for _, y in ds for v in y)
    assert seen == sorted(by_path.values())


def test_validation_split_and_argument_checks_match_keras(keras, image_dir):
    from keras.src.utils import dataset_utils as keras_utils

    samples, labels = list("abcdefghij"), np.arange(10)
    for split in (0.1, 0.25, 0.5, 0.99):
        for subset in ("training", "validation"):
            ours = dataset_utils.get_training_or_validation_split(samples, labels, split, subset)
            theirs = keras_utils.get_training_or_validation_split(samples, labels, split, subset)
            assert ours[0] == theirs[0] and list(ours[1]) == list(theirs[1])
    bad = [(1.5, "training", True, 1), (0.2, None, True, 1), (None, "training", True, 1),
           (0.2, "testing", True, 1), (0.2, "training", True, None)]
    for args in bad:
        with pytest.raises(ValueError) as ours:
            dataset_utils.check_validation_split_arg(*args)
        with pytest.raises(ValueError):
            keras_utils.check_validation_split_arg(*args)
        assert "Received" in str(ours.value)
    train, val = image_dataset_from_directory(str(image_dir), image_size=(4, 5), seed=1, batch_size=2,
                                              validation_split=0.34, subset="both", verbose=False)
    assert len(train.file_paths) == 6 and len(val.file_paths) == 3
    assert set(train.file_paths).isdisjoint(val.file_paths)
    assert int(train.cardinality()) == 3 and int(val.cardinality()) == 2


def test_images_are_decoded_and_resized_as_keras_does(keras, image_dir):
    from keras.src.utils.image_dataset_utils import _load_image_grain

    cases = [dict(interpolation="bilinear"), dict(interpolation="nearest"), dict(crop_to_aspect_ratio=True),
             dict(pad_to_aspect_ratio=True), dict(color_mode="grayscale"), dict(data_format="channels_first")]
    for kwargs in cases:
        ds = image_dataset_from_directory(str(image_dir), image_size=(5, 7), shuffle=False, batch_size=None,
                                          verbose=False, **kwargs)
        channels = {"grayscale": 1}.get(kwargs.get("color_mode"), 3)
        for path, (image, _) in zip(ds.file_paths, ds):
            expected = _load_image_grain(path, (5, 7), channels, kwargs.get("interpolation", "bilinear"),
                                         kwargs.get("data_format", "channels_last"),
                                         kwargs.get("crop_to_aspect_ratio", False),
                                         kwargs.get("pad_to_aspect_ratio", False))
            assert image.dtype == torch.float32
            np.testing.assert_allclose(image.numpy(), keras.ops.convert_to_numpy(expected), atol=1e-3)


def test_label_modes_and_batches(image_dir):
    for mode, check in (("int", lambda y: y.dtype == torch.int32 and y.shape == (9,)),
                        ("categorical", lambda y: y.shape == (9, 3) and bool((y.sum(1) == 1).all())),
                        (None, None)):
        ds = image_dataset_from_directory(str(image_dir), image_size=(4, 4), batch_size=16, label_mode=mode,
                                          shuffle=False, verbose=False)
        batch = next(iter(ds))
        if mode is None:
            assert batch.shape == (9, 4, 4, 3)
        else:
            assert batch[0].shape == (9, 4, 4, 3) and check(batch[1])
    binary = image_dataset_from_directory(str(image_dir), image_size=(4, 4), label_mode="binary",
                                          class_names=["cats", "dogs"], shuffle=False, verbose=False)
    y = next(iter(binary))[1]
    assert y.dtype == torch.float32 and y.shape == (7, 1) and y.ravel().tolist() == [0.0] * 4 + [1.0] * 3


def test_clear_errors(image_dir, tmp_path):
    def build(**kwargs):
        return image_dataset_from_directory(str(kwargs.pop("directory", image_dir)), verbose=False, **kwargs)

    cases = [(dict(labels="names"), "`labels` argument should be a list"),
             (dict(label_mode="sparse"), "label_mode"), (dict(label_mode="binary"), "exactly 2 class_names"),
             (dict(color_mode="cmyk"), "color_mode"), (dict(image_size=(4,)), "image_size"),
             (dict(interpolation="area"), "not implemented by kerasish"),
             (dict(validation_split=1.2, subset="training", seed=1), "validation_split"),
             (dict(validation_split=0.2), "subset"), (dict(validation_split=0.2, subset="training"), "seed"),
             (dict(class_names=["cats", "lions"]), "class_names"), (dict(format="grain"), "format"),
             (dict(labels=[0, 1]), "lengths of `labels`"), (dict(directory=tmp_path / "missing"), "directory"),
             (dict(directory=tmp_path), "No images found")]
    for kwargs, message in cases:
        with pytest.raises(ValueError, match=message):
            build(**kwargs)
    mixed = build(image_size=None, batch_size=4, shuffle=False)
    with pytest.raises(ValueError, match="different shapes"):
        next(iter(mixed))


def test_text_dataset(tmp_path):
    for cls, texts in (("neg", ["bad", "awful film"]), ("pos", ["good", "great fun", "naïve joy"])):
        (tmp_path / cls).mkdir()
        for i, text in enumerate(texts):
            (tmp_path / cls / f"{i}.txt").write_bytes(text.encode("utf-8"))
    ds = text_dataset_from_directory(str(tmp_path), batch_size=8, shuffle=False, verbose=False)
    texts, labels = next(iter(ds))
    assert texts.numpy().tolist() == ["bad", "awful film", "good", "great fun", "naïve joy"]
    assert labels.tolist() == [0, 0, 1, 1, 1] and ds.class_names == ["neg", "pos"]
    cut = text_dataset_from_directory(str(tmp_path), batch_size=8, shuffle=False, max_length=3,
                                      label_mode=None, verbose=False)
    assert next(iter(cut)).tolist() == ["bad", "awf", "goo", "gre", "na"]  # bytes, half a character dropped
    shuffled = text_dataset_from_directory(str(tmp_path), batch_size=2, seed=5, verbose=False)
    assert sorted(t for batch, _ in shuffled for t in batch.tolist()) == sorted(texts.tolist())


def _write_wav(path, samples, rate=8000, width=2, channels=1):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(np.asarray(samples, "<i2").tobytes())


def test_audio_dataset(tmp_path):
    for cls, lengths in (("no", [3, 5]), ("yes", [4])):
        (tmp_path / cls).mkdir()
        for i, n in enumerate(lengths):
            _write_wav(tmp_path / cls / f"{i}.wav", np.arange(1, n + 1) * 1000)
    ds = audio_dataset_from_directory(str(tmp_path), batch_size=3, shuffle=False, verbose=False)
    audio, labels = next(iter(ds))
    assert audio.shape == (3, 5, 1) and labels.tolist() == [0, 0, 1]
    np.testing.assert_allclose(audio[0, :, 0].numpy(), [1000 / 32768, 2000 / 32768, 3000 / 32768, 0, 0])
    fixed = audio_dataset_from_directory(str(tmp_path), batch_size=3, shuffle=False, output_sequence_length=4,
                                         verbose=False)
    assert next(iter(fixed))[0].shape == (3, 4, 1)
    assert next(iter(audio_dataset_from_directory(str(tmp_path), shuffle=False, sampling_rate=8000,
                                                  verbose=False)))[0].shape == (3, 5, 1)
    with pytest.raises(ValueError, match="does not resample"):
        next(iter(audio_dataset_from_directory(str(tmp_path), sampling_rate=16000, verbose=False)))
    with pytest.raises(ValueError, match="ragged"):
        audio_dataset_from_directory(str(tmp_path), ragged=True, verbose=False)
    (tmp_path / "no" / "broken.wav").write_bytes(b"not a wav file at all")
    with pytest.raises(ValueError, match="PCM WAV"):
        list(audio_dataset_from_directory(str(tmp_path), shuffle=False, verbose=False))


def test_timeseries_windows_targets_and_shuffle():
    data = np.arange(30)
    ds = timeseries_dataset_from_array(data, data * 10, sequence_length=4, sequence_stride=2, sampling_rate=2,
                                       batch_size=3, start_index=2)
    x, y = next(iter(ds))
    assert x.tolist() == [[2, 4, 6, 8], [4, 6, 8, 10], [6, 8, 10, 12]] and y.tolist() == [20, 40, 60]
    windows = [w.tolist() for batch, _ in ds for w in batch]
    assert len(windows) == len(range(0, 30 - 2 - 3 * 2, 2)) and int(ds.cardinality()) == 4
    shuffled = timeseries_dataset_from_array(data, None, sequence_length=4, batch_size=None, shuffle=True, seed=1)
    unshuffled = timeseries_dataset_from_array(data, None, sequence_length=4, batch_size=None)
    a = [w.tolist() for w in shuffled]
    assert a != [w.tolist() for w in unshuffled] and sorted(a) == [w.tolist() for w in unshuffled]
    with pytest.raises(ValueError, match="sampling_rate"):
        timeseries_dataset_from_array(data, None, 4, sampling_rate=0)
    with pytest.raises(ValueError, match="end_index"):
        timeseries_dataset_from_array(data, None, 4, start_index=5, end_index=3)


def test_split_dataset_sizes_match_keras_and_shuffle_is_seeded(keras):
    from keras.src.utils.dataset_utils import _rescale_dataset_split_sizes

    for left, right in [(0.8, None), (None, 0.3), (3, None), (None, 7), (0.5, 0.2), (2, 3), (0.0, 0.5),
                        (1.2, None), (5, 6), (0, 0), ("1", None), (10, None)]:
        try:
            expected = _rescale_dataset_split_sizes(left, right, 10)
        except (TypeError, ValueError) as e:
            with pytest.raises(type(e)):
                rescale_split_sizes(left, right, 10)
            continue
        assert rescale_split_sizes(left, right, 10) == expected
    x, y = np.arange(10), np.arange(10) * 2
    left, right = split_dataset((x, y), left_size=0.6, shuffle=True, seed=3)
    lx = [int(a) for a, _ in left]
    assert len(lx) == 6 and len(list(right)) == 4 and all(int(b) == 2 * int(a) for a, b in left)
    again, _ = split_dataset((x, y), left_size=0.6, shuffle=True, seed=3)
    assert [int(a) for a, _ in again] == lx != list(range(6))
    batched = kerasish.utils.Dataset.from_tensor_slices(x).batch(4)
    left, right = split_dataset(batched, right_size=2)
    assert [b.tolist() for b in left] == [[0, 1, 2, 3], [4, 5, 6, 7]] and [b.tolist() for b in right] == [[8, 9]]
    torch_left, torch_right = split_dataset(torch.utils.data.TensorDataset(torch.arange(10)), left_size=4,
                                            shuffle=True, seed=0)
    ref = torch.utils.data.random_split(range(10), [4, 6], generator=torch.Generator().manual_seed(0))
    assert list(torch_left.indices) == list(ref[0].indices) and len(torch_right) == 6


def test_fit_on_image_dataset_with_map(image_dir):
    ds = image_dataset_from_directory(str(image_dir), image_size=(8, 8), batch_size=4, seed=2, verbose=False)
    ds = ds.map(lambda x, y: (x / 255.0, y), num_parallel_calls=kerasish.utils.dataset.AUTOTUNE).cache()
    model = kerasish.Sequential([kerasish.layers.Flatten(), kerasish.layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
    assert model.predict(ds, verbose=0).shape == (9, 3)
