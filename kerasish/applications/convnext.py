"""ConvNeXt Tiny/Small/Base/Large/XLarge (Liu et al., "A ConvNet for the 2020s", CVPR 2022), with
Keras 3's layer names, nested stem/downsampling `Sequential`s, weight order, weight files and its two
custom layers (`LayerScale`, `StochasticDepth`) under Keras's class names and configs."""

import os

import numpy as np
import torch

from kerasish import backend, initializers, layers
from kerasish.applications import imagenet_utils
from kerasish.layers import _register_layer_from_above
from kerasish.models import Sequential

# (with top, without top) sha256 of Keras's files, from keras/src/applications/convnext.py.
WEIGHTS_HASHES = {
    "convnext_tiny": ("8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
                      "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1"),
    "convnext_small": ("ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
                       "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab"),
    "convnext_base": ("52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
                      "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45"),
    "convnext_large": ("070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
                       "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd"),
    "convnext_xlarge": ("c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
                        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05"),
}

MODEL_CONFIGS = {
    "tiny": {"depths": [3, 3, 9, 3], "projection_dims": [96, 192, 384, 768], "default_size": 224},
    "small": {"depths": [3, 3, 27, 3], "projection_dims": [96, 192, 384, 768], "default_size": 224},
    "base": {"depths": [3, 3, 27, 3], "projection_dims": [128, 256, 512, 1024], "default_size": 224},
    "large": {"depths": [3, 3, 27, 3], "projection_dims": [192, 384, 768, 1536], "default_size": 224},
    "xlarge": {"depths": [3, 3, 27, 3], "projection_dims": [256, 512, 1024, 2048], "default_size": 224},
}

# ImageNet-1k statistics of pixels in [0, 255]: the model normalises its own inputs.
_MEAN = [0.485 * 255, 0.456 * 255, 0.406 * 255]
_VARIANCE = [(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2]


class StochasticDepth(layers.Layer):
    """Drops the residual branch of whole samples with probability `drop_path_rate` in training.

    Kept samples are scaled by `1 / (1 - drop_path_rate)`, so inference is the identity.

    Args:
        drop_path_rate: probability of dropping the branch, in `[0, 1]`.

    Example:

    ```python
    layer = StochasticDepth(0.1)
    layer(np.ones((4, 2, 2, 3), "float32"), training=True)  # some samples all zeros
    ```
    """

    def __init__(self, drop_path_rate, **kwargs):
        super().__init__(**kwargs)
        self.drop_path_rate = drop_path_rate

    def call(self, x, training=None):
        if not training:
            return x
        keep_prob = 1 - self.drop_path_rate
        shape = (x.shape[0],) + (1,) * (x.dim() - 1)
        # floor(keep_prob + U[0, 1)) is 1 with probability keep_prob, as Keras draws it.
        mask = torch.floor(keep_prob + torch.rand(shape, dtype=x.dtype, device=x.device))
        return x / keep_prob * mask

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"drop_path_rate": self.drop_path_rate})
        return config


class LayerScale(layers.Layer):
    """Multiplies the channels by a learned vector `gamma` (Touvron et al., 2021), started at
    `init_values`.

    Args:
        init_values: the initial value of every entry of `gamma`.
        projection_dim: the number of channels (the length of `gamma`).

    Example:

    ```python
    layer = LayerScale(1e-6, 3)
    layer(np.ones((1, 3), "float32"))  # tensor([[1e-06, 1e-06, 1e-06]])
    ```
    """

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        self.gamma = self.add_weight(shape=(self.projection_dim,),
                                     initializer=initializers.Constant(self.init_values), trainable=True)
        self.built = True

    def call(self, x):
        return x * self.gamma

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"init_values": self.init_values, "projection_dim": self.projection_dim})
        return config


# Keras defines these two in its applications module; files written by Keras name them there.
_register_layer_from_above(StochasticDepth)
_register_layer_from_above(LayerScale)


def ConvNeXtBlock(projection_dim, drop_path_rate=0.0, layer_scale_init_value=1e-6, name=None):
    """Depthwise 7x7, layer norm, pointwise MLP (4x wide, GELU), layer scale, residual add."""
    if name is None:
        name = f"prestem{backend.get_uid('prestem')}"

    def apply(inputs):
        x = layers.Conv2D(filters=projection_dim, kernel_size=7, padding="same", groups=projection_dim,
                          name=f"{name}_depthwise_conv")(inputs)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(x)
        x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)
        x = layers.Activation("gelu", name=f"{name}_gelu")(x)
        x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
        if layer_scale_init_value is not None:
            x = LayerScale(layer_scale_init_value, projection_dim, name=f"{name}_layer_scale")(x)
        if drop_path_rate:
            layer = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")
        else:
            layer = layers.Activation("linear", name=f"{name}_identity")
        return inputs + layer(x)  # an `add` op node, as in Keras (not an `Add` layer)

    return apply


def PreStem(name=None):
    """Normalises pixels in [0, 255] with ImageNet-1k's mean and standard deviation."""
    if name is None:
        name = f"prestem{backend.get_uid('prestem')}"

    def apply(x):
        return layers.Normalization(mean=_MEAN, variance=_VARIANCE, name=f"{name}_prestem_normalization")(x)

    return apply


def Head(num_classes=1000, classifier_activation=None, name=None):
    """Global average pooling, layer norm and the classifier."""
    if name is None:
        name = str(backend.get_uid("head"))

    def apply(x):
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_head_layernorm")(x)
        return layers.Dense(num_classes, activation=classifier_activation, name=f"{name}_head_dense")(x)

    return apply


def _downsampling_layers(projection_dims, name):
    """The stem (4x4 patchify) and the three 2x2 downsamplers, each a nested `Sequential`."""
    stem = Sequential([
        layers.Conv2D(projection_dims[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"),
        layers.LayerNormalization(epsilon=1e-6, name=f"{name}_stem_layernorm"),
    ], name=f"{name}_stem")
    downsamplers = [Sequential([
        layers.LayerNormalization(epsilon=1e-6, name=f"{name}_downsampling_layernorm_{i}"),
        layers.Conv2D(projection_dims[i + 1], kernel_size=2, strides=2, name=f"{name}_downsampling_conv_{i}"),
    ], name=f"{name}_downsampling_block_{i}") for i in range(3)]
    return [stem] + downsamplers


def _check_arguments(weights, include_top, classes, name, weights_name):
    if backend.image_data_format() == "channels_first":
        raise ValueError("ConvNeXt does not support the `channels_first` image data format. Switch to "
                         "`channels_last` by editing your local config file at ~/.keras/keras.json. "
                         "Received: image_data_format=channels_first")
    if not (weights in {"imagenet", None} or (isinstance(weights, (str, os.PathLike)) and os.path.exists(weights))):
        raise ValueError("The `weights` argument should be either `None` (random initialization), `imagenet` "
                         "(pre-training on ImageNet), or the path to the weights file to be loaded. "
                         f"Received: weights={weights}")
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError('If using `weights="imagenet"` with `include_top=True`, `classes` should be 1000. '
                         f"Received classes={classes}")
    if weights == "imagenet" and weights_name not in name:
        variant = weights_name.split("convnext_")[-1]
        raise ValueError(f'Model name "{name}" does not match weights variant "{weights_name}". When using '
                         "imagenet weights, model name must contain the weights variant (e.g., "
                         f'"convnext_{variant}"). Received: name={name}')


def ConvNeXt(depths, projection_dims, drop_path_rate=0.0, layer_scale_init_value=1e-6, default_size=224,
             name="convnext", include_preprocessing=True, include_top=True, weights=None, input_tensor=None,
             input_shape=None, pooling=None, classes=1000, classifier_activation="softmax",
             weights_name=None):
    """A ConvNeXt of the given stage `depths` and widths `projection_dims` (see `ConvNeXtTiny`).

    `drop_path_rate` is the stochastic depth rate of the last block (the rate grows linearly from 0
    over the blocks); `layer_scale_init_value=None` leaves out the layer scales.
    """
    _check_arguments(weights, include_top, classes, name, weights_name)
    input_shape = imagenet_utils.obtain_input_shape(input_shape, default_size=default_size, min_size=32,
                                                    data_format=backend.image_data_format(),
                                                    require_flatten=include_top, weights=weights)
    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    x = img_input
    if include_preprocessing and input_shape[-1] == 3:
        x = PreStem(name=name)(x)
    rates = [float(r) for r in np.linspace(0.0, drop_path_rate, sum(depths))]
    block = 0
    for stage, downsample in enumerate(_downsampling_layers(projection_dims, name)):
        x = downsample(x)
        for j in range(depths[stage]):
            x = ConvNeXtBlock(projection_dims[stage], drop_path_rate=rates[block + j],
                              layer_scale_init_value=layer_scale_init_value,
                              name=f"{name}_stage_{stage}_block_{j}")(x)
        block += depths[stage]
    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = Head(num_classes=classes, classifier_activation=classifier_activation, name=name)(x)
    else:
        x = imagenet_utils.pool(x, pooling)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
    file_name = name + (".h5" if include_top else "_notop.h5")
    file_hash = WEIGHTS_HASHES.get(weights_name, (None, None))[0 if include_top else 1]
    return imagenet_utils.finish(input_tensor, img_input, x, name, weights, file_name, "convnext/", file_hash)


_DOC = """Instantiates the {name} architecture (Liu et al., "A ConvNet for the 2020s", CVPR 2022).

    `base`, `large` and `xlarge` weights were pre-trained on ImageNet-21k and fine-tuned on
    ImageNet-1k. Preprocessing is part of the model (a `Normalization` layer): feed float or uint8
    pixels in [0, 255]; `preprocess_input` of this module is the identity. Only `channels_last`.

    Args:
        include_top: whether to include the classification head. Defaults to `True`.
        include_preprocessing: whether the model normalises its inputs itself (with ImageNet
            weights, keep `True`). Defaults to `True`.
        weights: `None` (random initialization), `"imagenet"` or the path to a weights file.
            Defaults to `"imagenet"`.
        input_tensor: optional Keras tensor (output of `layers.Input()`) to use as image input.
        input_shape: optional shape tuple (at least 32x32, 3 channels with ImageNet weights);
            only to be given with `include_top=False` unless it is the default `(224, 224, 3)`.
        pooling: with `include_top=False`: `None` (4D output of the last stage), `"avg"` or `"max"`
            (global pooling); a layer normalization follows in every case, as in Keras.
        classes: number of classes with `include_top=True` (1000 with ImageNet weights).
        classifier_activation: activation of the classifier; `None` gives logits. Only `None` or
            `"softmax"` with pretrained weights. Defaults to `"softmax"`.
        name: the model's name, prefix of its layer names. Defaults to `"{default}"`.

    Returns:
        A `Model` instance.

    Example:

    ```python
    model = kerasish.applications.{name}(weights=None, include_top=False, input_shape=(32, 32, 3))
    features = model.predict(np.zeros((1, 32, 32, 3)))  # shape (1, 1, 1, channels)
    ```
    """


def _variant(size):
    config = MODEL_CONFIGS[size]
    weights_name = f"convnext_{size}"

    def builder(include_top=True, include_preprocessing=True, weights="imagenet", input_tensor=None,
                input_shape=None, pooling=None, classes=1000, classifier_activation="softmax",
                name=weights_name):
        return ConvNeXt(config["depths"], config["projection_dims"], drop_path_rate=0.0,
                        layer_scale_init_value=1e-6, default_size=config["default_size"], name=name,
                        include_preprocessing=include_preprocessing, include_top=include_top, weights=weights,
                        input_tensor=input_tensor, input_shape=input_shape, pooling=pooling, classes=classes,
                        classifier_activation=classifier_activation, weights_name=weights_name)

    public = "ConvNeXt" + {"xlarge": "XLarge"}.get(size, size.capitalize())
    builder.__name__ = builder.__qualname__ = public
    builder.__doc__ = _DOC.format(name=public, default=weights_name)
    return builder


ConvNeXtTiny = _variant("tiny")
ConvNeXtSmall = _variant("small")
ConvNeXtBase = _variant("base")
ConvNeXtLarge = _variant("large")
ConvNeXtXLarge = _variant("xlarge")


def preprocess_input(x, data_format=None):
    """The identity: ConvNeXt models normalise their inputs themselves (kept for API parity).

    Args:
        x: a float NumPy array or tensor.
        data_format: unused, as in Keras.

    Returns:
        `x`, unchanged.
    """
    return x


def decode_predictions(preds, top=5):
    """Decodes ImageNet predictions: see `imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
