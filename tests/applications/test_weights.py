"""`weights="imagenet"` through `get_file` from a local HTTP server (never the internet), Keras's
errors for bad arguments, ImageNet preprocessing and `decode_predictions`."""

import functools
import hashlib
import http.server
import json
import threading

import numpy as np
import pytest

from kerasish import applications, ops
from kerasish.applications import imagenet_utils, vgg
from tests.conftest import assert_close


@pytest.fixture
def server(tmp_path, monkeypatch):
    root = tmp_path / "www"
    (root / "vgg16").mkdir(parents=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(imagenet_utils, "WEIGHTS_BASE_URL", base)
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_PATH", base + "imagenet_class_index.json")
    yield root
    httpd.shutdown()


def _md5(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_imagenet_weights_download_hash_and_cache(server, tmp_path, monkeypatch):
    source = applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
    served = server / "vgg16" / "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
    source.save_weights(str(served))  # a legacy `.h5` weights file, the layout of Keras's published ones
    x = np.random.default_rng(0).uniform(0, 255, (1, 32, 32, 3)).astype("float32")
    monkeypatch.setitem(vgg._HASHES, "vgg16", ("0" * 32, "0" * 32))
    with pytest.raises(ValueError, match="hash"):
        applications.VGG16(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
    monkeypatch.setitem(vgg._HASHES, "vgg16", ("0" * 32, _md5(served)))
    model = applications.VGG16(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
    assert (tmp_path / "home" / "models" / served.name).exists()
    assert_close(ops.convert_to_numpy(model(x)), ops.convert_to_numpy(source(x)))
    served.unlink()  # cached now: no second download
    again = applications.vgg16.VGG16(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
    assert_close(ops.convert_to_numpy(again(x)), ops.convert_to_numpy(source(x)))


def test_keras_errors_for_bad_arguments():
    with pytest.raises(ValueError, match=r"The `weights` argument should be either .*Received: weights=imagenet21k"):
        applications.ResNet50(weights="imagenet21k")
    with pytest.raises(ValueError, match=r"`input_shape` should be \(224, 224, 3\).*input_shape=\(64, 64, 3\)"):
        applications.VGG16(weights="imagenet", include_top=True, input_shape=(64, 64, 3))
    with pytest.raises(ValueError, match="`classes` should be 1000"):
        applications.VGG19(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match=r"Input size must be at least 32x32; Received: input_shape=\(16, 16, 3\)"):
        applications.ResNet50V2(weights=None, include_top=False, input_shape=(16, 16, 3))
    with pytest.raises(ValueError, match="should specify a static `input_shape`"):
        applications.VGG16(weights=None, include_top=True, input_shape=(None, None, 3))
    with pytest.raises(ValueError, match="alpha can be one of"):
        applications.MobileNet(weights="imagenet", alpha=0.3)
    with pytest.raises(ValueError, match="depth multiplier must be 1"):
        applications.mobilenet.MobileNet(weights="imagenet", depth_multiplier=2)
    with pytest.raises(ValueError, match="pooling"):
        applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="mean")


def test_default_shapes_like_keras(keras):
    for kwargs in (dict(input_shape=None, require_flatten=True, weights="imagenet"),
                   dict(input_shape=None, require_flatten=False, weights=None),
                   dict(input_shape=(40, 48, 1), require_flatten=False, weights=None)):
        expected = keras.src.applications.imagenet_utils.obtain_input_shape(
            default_size=224, min_size=32, data_format="channels_last", **kwargs)
        assert imagenet_utils.obtain_input_shape(default_size=224, min_size=32, data_format="channels_last",
                                                 **kwargs) == tuple(expected)


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
def test_preprocess_input_matches_keras(keras, mode):
    x = np.random.default_rng(1).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    theirs = keras.applications.imagenet_utils.preprocess_input
    for data_format, sample in (("channels_last", x), ("channels_first", x.transpose(0, 3, 1, 2)), ("channels_last", x[0])):
        expected = theirs(sample.copy(), data_format=data_format, mode=mode)
        got = imagenet_utils.preprocess_input(sample.copy(), data_format=data_format, mode=mode)
        assert_close(got, expected)
        tensor = imagenet_utils.preprocess_input(ops.convert_to_tensor(sample), data_format=data_format, mode=mode)
        assert_close(ops.convert_to_numpy(tensor), expected, rtol=1e-5, atol=1e-4)
    family = {"caffe": applications.vgg16, "tf": applications.resnet_v2}.get(mode)
    if family is not None:
        assert_close(family.preprocess_input(x.copy()), theirs(x.copy(), mode=mode))
    with pytest.raises(ValueError, match="Received: mode=bgr"):
        imagenet_utils.preprocess_input(x, mode="bgr")


def test_decode_predictions_reads_served_class_index(server, monkeypatch):
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    (server / "imagenet_class_index.json").write_text(json.dumps(index))
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_HASH", _md5(server / "imagenet_class_index.json"))
    preds = np.zeros((2, 1000), "float32")
    preds[0, [3, 7]] = [0.9, 0.1]
    preds[1, 999] = 1.0
    decoded = applications.resnet.decode_predictions(preds, top=2)
    assert decoded[0] == [("n00000003", "class_3", pytest.approx(0.9)), ("n00000007", "class_7", pytest.approx(0.1))]
    assert decoded[1][0][:2] == ("n00000999", "class_999")
    with pytest.raises(ValueError, match=r"shape: \(2, 10\)"):
        applications.vgg16.decode_predictions(np.zeros((2, 10)))
