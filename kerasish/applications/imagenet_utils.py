"""Pieces every application shares: the `weights=` checks and download, the input-shape rules,
ImageNet preprocessing and `decode_predictions` (Keras 3's `keras.applications.imagenet_utils`)."""

import json
import os
import threading
import warnings

import numpy as np

from kerasish import activations, backend, layers, ops
from kerasish.models import Model
from kerasish.utils import data_utils, file_utils

# Keras's published weights live under this folder; tests point it at a local server.
WEIGHTS_BASE_URL = "https://storage.googleapis.com/tensorflow/keras-applications/"
CLASS_INDEX_PATH = "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"

_CLASS_INDEX = {}  # read-only once loaded: keyed by the file path it came from
_CLASS_INDEX_LOCK = threading.Lock()

_MEANS = {"torch": [0.485, 0.456, 0.406], "caffe": [103.939, 116.779, 123.68]}
_STDS = {"torch": [0.229, 0.224, 0.225]}


def preprocess_input(x, data_format=None, mode="caffe"):
    """Preprocesses a tensor or NumPy array encoding a batch of images (values in [0, 255]).

    Args:
        x: float NumPy array or tensor, 3D or 4D with 3 color channels. A float NumPy array is
            modified in place, as in Keras (pass `numpy.copy(x)` to keep it).
        data_format: `"channels_first"` or `"channels_last"`; defaults to the global setting.
        mode: `"caffe"` (RGB to BGR, then zero-centred per channel on ImageNet, no scaling), `"tf"`
            (scaled to [-1, 1]) or `"torch"` (scaled to [0, 1], then normalised per channel on
            ImageNet). Defaults to `"caffe"`.

    Returns:
        The preprocessed array or tensor.
    """
    if mode not in {"caffe", "tf", "torch"}:
        raise ValueError(f"Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode={mode}")
    if data_format is None:
        data_format = backend.image_data_format()
    elif data_format not in {"channels_first", "channels_last"}:
        raise ValueError("Expected data_format to be one of `channels_first` or `channels_last`. "
                         f"Received: data_format={data_format}")
    if isinstance(x, np.ndarray):
        return _preprocess_numpy(x, data_format, mode)
    return _preprocess_tensor(x, data_format, mode)


def _channel_axis(x, data_format):
    if data_format == "channels_last":
        return len(x.shape) - 1
    return 0 if len(x.shape) == 3 else 1


def _preprocess_numpy(x, data_format, mode):
    if not issubclass(x.dtype.type, np.floating):
        x = x.astype(backend.floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    axis = _channel_axis(x, data_format)
    if mode == "torch":
        x /= 255.0
    else:
        x = np.flip(x, axis=axis)  # RGB -> BGR, a view as in Keras
    shape = [1] * x.ndim
    shape[axis] = 3
    x -= np.asarray(_MEANS[mode], x.dtype).reshape(shape)
    if mode in _STDS:
        x /= np.asarray(_STDS[mode], x.dtype).reshape(shape)
    return x


def _preprocess_tensor(x, data_format, mode):
    if mode == "tf":
        return x / 127.5 - 1.0
    axis = _channel_axis(x, data_format)
    if mode == "torch":
        x = x / 255.0
    else:
        x = ops.flip(x, axis=axis)
    shape = [1] * len(x.shape)
    shape[axis] = 3
    x = x - ops.reshape(ops.convert_to_tensor(np.array(_MEANS[mode]), dtype=x.dtype), shape)
    if mode in _STDS:
        x = x / ops.reshape(ops.convert_to_tensor(np.array(_STDS[mode]), dtype=x.dtype), shape)
    return x


def decode_predictions(preds, top=5):
    """Decodes the predictions of an ImageNet model.

    Args:
        preds: array of shape `(samples, 1000)`.
        top: how many top guesses to return. Defaults to `5`.

    Returns:
        One list per sample of `(class_name, class_description, score)` tuples, best first.
    """
    if len(preds.shape) != 2 or preds.shape[1] != 1000:
        raise ValueError("`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape "
                         f"(samples, 1000)). Received array with shape: {tuple(preds.shape)}")
    fpath = file_utils.get_file("imagenet_class_index.json", CLASS_INDEX_PATH, cache_subdir="models",
                                file_hash=CLASS_INDEX_HASH)
    with _CLASS_INDEX_LOCK:
        if fpath not in _CLASS_INDEX:
            with open(fpath) as f:
                _CLASS_INDEX[fpath] = json.load(f)
        index = _CLASS_INDEX[fpath]
    results = []
    for pred in np.asarray(ops.convert_to_numpy(preds)):
        top_indices = pred.argsort()[-top:][::-1]
        result = [tuple(index[str(i)]) + (pred[i],) for i in top_indices]
        result.sort(key=lambda r: r[2], reverse=True)
        results.append(result)
    return results


def obtain_input_shape(input_shape, default_size, min_size, data_format, require_flatten, weights=None):
    """The model's input shape: `input_shape` checked against Keras's rules, or the default."""
    channels_first = data_format == "channels_first"
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if channels_first else input_shape[-1]
        if channels not in {1, 3}:
            warnings.warn("This model usually expects 1 or 3 input channels. However, it was passed an "
                          f"input_shape with {channels} input channels.", stacklevel=3)
        default_shape = ((channels, default_size, default_size) if channels_first
                         else (default_size, default_size, channels))
    else:
        default_shape = (3, default_size, default_size) if channels_first else (default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError("When setting `include_top=True` and loading `imagenet` weights, `input_shape` "
                             f"should be {default_shape}.  Received: input_shape={input_shape}")
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError(f"`input_shape` must be a tuple of three integers. Received: input_shape={input_shape}")
        channels, spatial = (input_shape[0], input_shape[1:]) if channels_first else (input_shape[-1], input_shape[:2])
        if channels != 3 and weights == "imagenet":
            raise ValueError(f"The input must have 3 channels; Received `input_shape={input_shape}`")
        if any(s is not None and s < min_size for s in spatial):
            raise ValueError(f"Input size must be at least {min_size}x{min_size}; Received: "
                             f"input_shape={input_shape}")
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (3, None, None) if channels_first else (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError("If `include_top` is True, you should specify a static `input_shape`. "
                         f"Received: input_shape={input_shape}")
    return tuple(input_shape)


def correct_pad(inputs, kernel_size):
    """Zero padding `((top, bottom), (left, right))` for a strided 'valid' convolution."""
    img_dim = 2 if backend.image_data_format() == "channels_first" else 1
    size = inputs.shape[img_dim:img_dim + 2]
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    correct = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))


def validate_activation(classifier_activation, weights):
    """Pretrained weights allow only `None` or `"softmax"` on the classifier."""
    if weights is None:
        return
    activation = activations.get(classifier_activation)
    if activation not in {activations.get("softmax"), activations.get(None)}:
        raise ValueError("Only `None` and `softmax` activations are allowed for the `classifier_activation` "
                         "argument when using pretrained weights, with `include_top=True`; Received: "
                         f"classifier_activation={classifier_activation}")


def check_weights(weights, include_top, classes):
    """Keras's checks of `weights=` and `classes=` before anything is built."""
    if not (weights in {"imagenet", None} or (isinstance(weights, (str, os.PathLike)) and os.path.exists(weights))):
        raise ValueError("The `weights` argument should be either `None` (random initialization), 'imagenet' "
                         "(pre-training on ImageNet), or the path to the weights file to be loaded.  "
                         f"Received: weights={weights}")
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError("If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000.  "
                         f"Received classes={classes}")


def image_input(input_tensor, input_shape):
    """The model's image input: `input_tensor` if it is symbolic, else a new `Input`."""
    if input_tensor is None:
        return layers.Input(shape=input_shape)
    if not backend.is_keras_tensor(input_tensor):
        return layers.Input(tensor=input_tensor, shape=input_shape)
    return input_tensor


def pool(x, pooling, avg_name=None, max_name=None):
    """The `pooling=` head of a model built with `include_top=False`."""
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=avg_name)(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=max_name)(x)
    if pooling is not None:
        raise ValueError(f"`pooling` should be one of None, 'avg' or 'max'. Received: pooling={pooling}")
    return x


def finish(input_tensor, img_input, x, name, weights, file_name, subdir, file_hash):
    """Builds the Functional model and loads `weights` (Keras's file for "imagenet", else a path)."""
    inputs = data_utils.get_source_inputs(input_tensor) if input_tensor is not None else img_input
    model = Model(inputs, x, name=name)
    if weights == "imagenet":
        path = file_utils.get_file(file_name, f"{WEIGHTS_BASE_URL}{subdir}{file_name}", cache_subdir="models",
                                   file_hash=file_hash)
        model.load_weights(path)
    elif weights is not None:
        model.load_weights(weights)
    return model


def bn_axis():
    return 3 if backend.image_data_format() == "channels_last" else 1
