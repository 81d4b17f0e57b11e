"""`FeatureSpace`: Keras 3's one-stop preprocessing of structured (tabular) data, on the kerasish
preprocessing layers (no TensorFlow, no tf.data)."""

import numpy as np
import torch

from kerasish import layers
from kerasish.layers.preprocessing.data_layer import PreprocessingLayer, to_numpy
from kerasish.utils import naming

_OUTPUT_MODES = ("int", "one_hot", "float")


class Cross:
    """A crossing of features (by name), hashed into `crossing_dim` bins."""

    def __init__(self, feature_names, crossing_dim, output_mode="one_hot"):
        if output_mode not in ("int", "one_hot"):
            raise ValueError("Invalid value for argument `output_mode`. Expected one of "
                             f"{{'int', 'one_hot'}}. Received: output_mode={output_mode}")
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self):
        return "_X_".join(self.feature_names)

    def get_config(self):
        return {"feature_names": self.feature_names, "crossing_dim": self.crossing_dim,
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class Feature:
    """A feature: its input dtype, its preprocessing layer and how its output is encoded."""

    def __init__(self, dtype, preprocessor, output_mode):
        if output_mode not in _OUTPUT_MODES:
            raise ValueError("Invalid value for argument `output_mode`. Expected one of "
                             f"{{'int', 'one_hot', 'float'}}. Received: output_mode={output_mode}")
        self.dtype = dtype
        if isinstance(preprocessor, dict):
            from kerasish.saving.serialization import deserialize_keras_object

            preprocessor = deserialize_keras_object(preprocessor)
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self):
        from kerasish.saving.serialization import serialize_keras_object

        return {"dtype": self.dtype, "preprocessor": serialize_keras_object(self.preprocessor),
                "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class TFDIdentity(PreprocessingLayer):
    """The preprocessor of `FeatureSpace.float`: float32 values, unchanged. Keras's class name
    and module, which its files (and their weight paths) carry."""

    _keras_module = "keras.src.layers.preprocessing.feature_space"

    def call(self, inputs):
        x = inputs if isinstance(inputs, torch.Tensor) else torch.as_tensor(to_numpy(inputs))
        return x.to(torch.float32)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)


def _auto(name, prefix):
    # Keras's `auto_name(prefix)`: the prefix made unique (`naming.auto_name` takes objects).
    return name or naming.uniquify(naming.to_snake_case(prefix))


class FeatureSpace(layers.Layer):
    """Preprocesses a dict of features into one vector (or a dict) per sample.

    Each feature is declared by name with a type string (`"float"`, `"float_normalized"`,
    `"float_rescaled"`, `"float_discretized"`, `"integer_categorical"`, `"string_categorical"`,
    `"integer_hashed"`, `"string_hashed"`) or a `FeatureSpace.<type>(...)` spec. `adapt` learns
    the state of every preprocessor (vocabularies, means, bins) from a dict of arrays or a
    `kerasish.utils.Dataset` of dicts; calling the space on a dict of arrays (a batch or one
    sample) returns the encoded features, concatenated in the order of the sorted feature names,
    then the sorted crosses (as in Keras).

    Args:
        features: dict of feature name -> type string or `Feature`.
        output_mode: `"concat"` (one float32 tensor) or `"dict"`. Defaults to `"concat"`.
        crosses: feature-name tuples (or `FeatureSpace.cross(...)`) to hash-cross.
        crossing_dim: bins of each cross. Defaults to `32`.
        hashing_dim: bins of the hashed features. Defaults to `32`.
        num_discretization_bins: bins of `"float_discretized"` features. Defaults to `32`.

    Example:

    ```python
    space = kerasish.utils.FeatureSpace(
        features={"age": "float_normalized", "city": "string_categorical",
                  "zone": "integer_categorical"},
        crosses=[("city", "zone")], crossing_dim=8)
    space.adapt({"age": np.array([20.0, 40.0]), "city": np.array(["Paris", "Lima"]),
                 "zone": np.array([1, 2])})
    space({"age": np.array([30.0]), "city": np.array(["Lima"]), "zone": np.array([2])})
    ```
    """

    @classmethod
    def cross(cls, feature_names, crossing_dim, output_mode="one_hot"):
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype, preprocessor, output_mode):
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name=None):
        name = _auto(name, "float")
        return Feature("float32", TFDIdentity(name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name=None):
        name = _auto(name, "float_rescaled")
        rescaling = getattr(layers, "Rescaling", None)
        if rescaling is None:
            raise NotImplementedError("`float_rescaled` needs `kerasish.layers.Rescaling`, which "
                                      "this build does not have. Received: scale="
                                      f"{scale}, offset={offset}")
        preprocessor = rescaling(scale=scale, offset=offset, name=f"{name}_preprocessor")
        return Feature("float32", preprocessor, "float")

    @classmethod
    def float_normalized(cls, name=None):
        name = _auto(name, "float_normalized")
        return Feature("float32", layers.Normalization(axis=-1, name=f"{name}_preprocessor"),
                       "float")

    @classmethod
    def float_discretized(cls, num_bins, bin_boundaries=None, output_mode="one_hot", name=None):
        name = _auto(name, "float_discretized")
        preprocessor = layers.Discretization(num_bins=num_bins, bin_boundaries=bin_boundaries,
                                             name=f"{name}_preprocessor")
        return Feature("float32", preprocessor, output_mode)

    @classmethod
    def integer_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot",
                            name=None):
        name = _auto(name, "integer_categorical")
        preprocessor = layers.IntegerLookup(name=f"{name}_preprocessor", max_tokens=max_tokens,
                                            num_oov_indices=num_oov_indices)
        return Feature("int32", preprocessor, output_mode)

    @classmethod
    def string_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot",
                           name=None):
        name = _auto(name, "string_categorical")
        preprocessor = layers.StringLookup(name=f"{name}_preprocessor", max_tokens=max_tokens,
                                           num_oov_indices=num_oov_indices)
        return Feature("string", preprocessor, output_mode)

    @classmethod
    def string_hashed(cls, num_bins, output_mode="one_hot", name=None):
        name = _auto(name, "string_hashed")
        return Feature("string", layers.Hashing(name=f"{name}_preprocessor", num_bins=num_bins),
                       output_mode)

    @classmethod
    def integer_hashed(cls, num_bins, output_mode="one_hot", name=None):
        name = _auto(name, "integer_hashed")
        return Feature("int32", layers.Hashing(name=f"{name}_preprocessor", num_bins=num_bins),
                       output_mode)

    def __init__(self, features, output_mode="concat", crosses=None, crossing_dim=32,
                 hashing_dim=32, num_discretization_bins=32, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not features:
            raise ValueError(f"The `features` argument cannot be None or empty. "
                             f"Received: features={features}")
        if output_mode not in ("dict", "concat"):
            raise ValueError("Invalid value for argument `output_mode`. Expected one of "
                             f"{{'dict', 'concat'}}. Received: output_mode={output_mode}")
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.output_mode = output_mode
        self.features = {n: self._standardize_feature(n, f) for n, f in features.items()}
        self.crosses = [self._standardize_cross(c, set(features)) for c in crosses or []]
        self.crosses_by_name = {c.name: c for c in self.crosses}
        # Registered as children (devices); keyed by feature name. Saving walks these dicts
        # as Keras does: `preprocessors/normalization`, `crossers/hashed_crossing`, ...
        self.preprocessors = {n: f.preprocessor for n, f in self.features.items()}
        self.crossers = {c.name: layers.HashedCrossing(c.crossing_dim, name=c.name)
                         for c in self.crosses}
        for i, layer in enumerate(list(self.preprocessors.values()) +
                                  list(self.crossers.values())):
            self.add_module(f"_feature_layer_{i}", layer)
        self.one_hot_encoders = {}
        self.concat = layers.Concatenate(axis=-1)
        self.inputs = None
        self.encoded_features = None
        self._is_adapted = False

    def _standardize_feature(self, name, feature):
        if isinstance(feature, Feature):
            return feature
        if isinstance(feature, dict):
            return Feature.from_config(feature.get("config", feature))
        makers = {
            "float": lambda: self.float(name=name),
            "float_normalized": lambda: self.float_normalized(name=name),
            "float_rescaled": lambda: self.float_rescaled(name=name),
            "float_discretized": lambda: self.float_discretized(
                name=name, num_bins=self.num_discretization_bins),
            "integer_categorical": lambda: self.integer_categorical(name=name),
            "string_categorical": lambda: self.string_categorical(name=name),
            "integer_hashed": lambda: self.integer_hashed(self.hashing_dim, name=name),
            "string_hashed": lambda: self.string_hashed(self.hashing_dim, name=name),
        }
        if feature not in makers:
            raise ValueError(f"Invalid feature type: expected one of {sorted(makers)} or a "
                             f"`Feature`. Received: {name}={feature!r}")
        return makers[feature]()

    def _standardize_cross(self, cross, names):
        if isinstance(cross, dict):
            cross = Cross.from_config(cross.get("config", cross))
        if isinstance(cross, Cross):
            return cross
        if not self.crossing_dim:
            raise ValueError("When specifying `crosses`, the argument `crossing_dim` "
                             "(dimensionality of the crossing space) should be specified as "
                             f"well. Received: crossing_dim={self.crossing_dim}")
        unknown = [k for k in cross if k not in names]
        if unknown:
            raise ValueError("All features referenced in the `crosses` argument should be "
                             f"present in the `features` dict. Received unknown features: {cross}")
        return Cross(cross, crossing_dim=self.crossing_dim)

    # ------------------------------------------------------------------ adapt
    def _adaptable(self):
        names = []
        for name, pre in self.preprocessors.items():
            if isinstance(pre, layers.Normalization) and pre.input_mean is not None:
                continue
            if isinstance(pre, layers.TextVectorization) and pre._lookup_layer._has_input_vocabulary:
                continue
            if isinstance(pre, (layers.StringLookup, layers.IntegerLookup)) and \
                    pre._has_input_vocabulary:
                continue
            if isinstance(pre, layers.Discretization) and pre.num_bins is None:
                continue
            if hasattr(pre, "adapt"):
                names.append(name)
        return names

    def adapt(self, dataset):
        """Learns every adaptable preprocessor's state from `dataset`: a dict of arrays/lists,
        or a `kerasish.utils.Dataset` (or any iterable) of such dicts, batched or not."""
        if isinstance(dataset, dict):
            elements = [dataset]
            batched = True
        elif hasattr(dataset, "__iter__"):
            elements = list(dataset)
            batched = None
        else:
            raise ValueError("`adapt()` can only be called on a dataset or a dict of "
                             f"arrays/lists. Received instead: {dataset} (of type "
                             f"{type(dataset)})")
        if not elements:
            raise ValueError("`adapt()` received an empty dataset. Received: dataset="
                             f"{dataset!r}")
        for name in self._adaptable():
            values = [np.asarray(to_numpy(_column(e, name))) for e in elements]
            if batched is None and values[0].ndim == 0:
                # Unbatched samples: batches of 32, as Keras does.
                values = [np.stack(values[i:i + 32]) for i in range(0, len(values), 32)]
            values = [v[..., None] if v.ndim in (0, 1) else v for v in values]
            self.preprocessors[name].adapt(iter(values))
        self._is_adapted = True
        self.get_encoded_features()
        self.built = True

    def _check_if_adapted(self):
        if not self._is_adapted:
            if self._adaptable():
                raise ValueError("You need to call `.adapt(dataset)` on the FeatureSpace before "
                                 "you can start using it.")
            self._is_adapted = True

    # ------------------------------------------------------------------ symbolic
    def get_inputs(self):
        """The dict of `Input`s (shape `(1,)`, each feature's dtype) of a model taking raw data."""
        self._check_if_adapted()
        if self.inputs is None:
            from kerasish.layers.core.input_layer import Input

            self.inputs = {n: Input(shape=(1,), dtype=f.dtype, name=n)
                           for n, f in self.features.items()}
        return self.inputs

    def get_encoded_features(self):
        """The encoded features of `get_inputs()` (symbolic), to build a model on."""
        if self.encoded_features is None:
            self.encoded_features = self._encode(self.get_inputs())
        return self.encoded_features

    # ------------------------------------------------------------------ call
    def _encode(self, data):
        pre = {n: self.preprocessors[n](data[n]) for n in sorted(self.features)}
        crossed = {c.name: self.crossers[c.name]([pre[n] for n in c.feature_names])
                   for c in sorted(self.crosses, key=lambda c: c.name)}
        specs = {**self.features, **self.crosses_by_name}
        out = {}
        for name, feature in list(pre.items()) + list(crossed.items()):
            if specs[name].output_mode == "one_hot":
                feature = self._one_hot_encoder(name)(feature)
            out[name] = feature
        if self.output_mode == "dict":
            return out
        for name, feature in out.items():
            if str(feature.dtype).replace("torch.", "").startswith(("int", "string")):
                raise ValueError(f"Cannot concatenate features because feature '{name}' has not "
                                 f"been encoded (it has dtype {feature.dtype}). Consider using "
                                 "`output_mode='dict'`.")
        return self.concat(list(out.values()))

    def _one_hot_encoder(self, name):
        if name not in self.one_hot_encoders:
            pre = self.preprocessors.get(name) or self.crossers.get(name)
            if isinstance(pre, (layers.IntegerLookup, layers.StringLookup)):
                depth = pre.vocabulary_size()
            elif isinstance(pre, layers.CategoryEncoding):
                depth = pre.num_tokens
            elif isinstance(pre, (layers.Discretization, layers.HashedCrossing, layers.Hashing)):
                depth = pre.num_bins
            else:
                raise ValueError(f"Feature '{name}' has `output_mode='one_hot'`. However it isn't "
                                 "a standard feature and the dimensionality of its output space "
                                 "is not known, thus it cannot be one-hot encoded. Try using "
                                 "`output_mode='int'`.")
            encoder = layers.CategoryEncoding(num_tokens=depth, output_mode="multi_hot")
            self.one_hot_encoders[name] = encoder
            self.add_module(f"_one_hot_{name}", encoder)
        return self.one_hot_encoders[name]

    def __call__(self, data):
        self._check_if_adapted()
        if not isinstance(data, dict):
            raise ValueError("A FeatureSpace can only be called with a dict. "
                             f"Received: data={data} (of type {type(data)})")
        batch = {}
        rebatched = False
        for name, feature in self.features.items():
            if name not in data:
                raise ValueError(f"Missing feature {name!r}. Received: data with keys "
                                 f"{sorted(data)}")
            batch[name], single = _as_column(data[name], feature.dtype)
            rebatched = rebatched or single
        out = self._encode(batch)
        if rebatched:
            squeeze = lambda t: t.squeeze(0) if isinstance(t, torch.Tensor) else t  # noqa: E731
            out = {k: squeeze(v) for k, v in out.items()} if isinstance(out, dict) else squeeze(out)
        return out

    def get_config(self):
        from kerasish.saving.serialization import serialize_keras_object

        # Keras's keys (no `name`: Keras leaves it out too).
        return {"features": {n: _saveable(serialize_keras_object, f) for n, f in self.features.items()},
                "output_mode": self.output_mode,
                "crosses": [_saveable(serialize_keras_object, c) for c in self.crosses],
                "crossing_dim": self.crossing_dim, "hashing_dim": self.hashing_dim,
                "num_discretization_bins": self.num_discretization_bins}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)

    def get_build_config(self):
        return {name: _preprocessor_build_config(f.preprocessor) for name, f in self.features.items()}

    def build_from_config(self, config):
        """Builds the preprocessors from `get_build_config()`'s shapes; the state they learnt in
        `adapt` is then loaded from the file, so the space counts as adapted (as in Keras)."""
        for name, build_config in config.items():
            preprocessor = self.features[name].preprocessor
            shape = (build_config or {}).get("input_shape")
            if not preprocessor.built and shape is not None:
                preprocessor.build(tuple(shape))
        self._is_adapted = True
        self.built = True

    def save(self, filepath):
        """Saves the `FeatureSpace` (its features and their adapted state) to a `.keras` file.

        Keras's layout: `config.json` names `keras.utils` `FeatureSpace`, the preprocessors'
        variables sit under `preprocessors/<class>/vars` in `model.weights.h5`, vocabularies
        under `assets/preprocessors/<class>/`. Load it back with
        `kerasish.saving.load_model(filepath)` (or Keras's `keras.saving.load_model`).

        Args:
            filepath: a path ending in `.keras`.

        Example:

        ```python
        space.save("featurespace.keras")
        reloaded = kerasish.saving.load_model("featurespace.keras")
        ```
        """
        from kerasish.saving import keras_zip

        if not str(filepath).endswith(".keras"):
            raise ValueError("The filename must end in `.keras`. Received: "
                             f"filepath={filepath}")
        self._check_if_adapted()
        keras_zip.save_keras(self, str(filepath))

    def save_own_variables(self, store):
        return

    def load_own_variables(self, store):
        return


def _saveable(serialize, obj):
    """A Feature / Cross as Keras writes it (its module and registered name)."""
    return {"module": "keras.src.layers.preprocessing.feature_space",
            "class_name": type(obj).__name__, "config": obj.get_config(),
            "registered_name": type(obj).__name__}


def _preprocessor_build_config(layer):
    from kerasish.saving.serialization import _build_config

    return _build_config(layer) or {}


def _column(element, name):
    if isinstance(element, tuple):  # (features, labels) batches: the features
        element = element[0]
    if not isinstance(element, dict) or name not in element:
        raise ValueError(f"Expected dicts of features with key {name!r}. Received: an element "
                         f"of type {type(element).__name__}")
    return element[name]


def _as_column(value, dtype):
    """A feature's values as a `(batch, 1)` column: strings as a numpy array of str, numbers as
    a tensor of the feature's dtype. Also says whether a single sample was given."""
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    arr = np.asarray(value, dtype=object if dtype == "string" else None)
    single = arr.ndim == 0
    arr = arr.reshape(1, 1) if single else (arr[:, None] if arr.ndim == 1 else arr)
    if dtype == "string":
        return arr, single
    return torch.as_tensor(arr.astype(dtype)), single
