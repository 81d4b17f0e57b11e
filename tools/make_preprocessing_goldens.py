"""Writes the preprocessing goldens: Keras 3.15's text, lookup and hashing layers run on TensorFlow.

Keras 3 runs `TextVectorization`, `StringLookup`, `IntegerLookup`, `Hashing` and `HashedCrossing`
only with TensorFlow installed (tf.strings, tf.lookup), so real Keras 3 on torch cannot be the
live reference for them; Keras 3.15 on its TensorFlow backend can. This script makes a virtual
environment with tensorflow-cpu and keras 3.15 and writes, under `tests/goldens/preprocessing/`:

- `layers.json`: for each case of `CASES`, the layer's outputs (values and dtype) on fixed inputs,
  and its adapted state (vocabulary, IDF weights) and config.
- `hashes.json`: `tf.strings.to_hash_bucket_fast` / `_strong` of many strings (ASCII, UTF-8,
  lengths 0-200, decimal integers) and `tf.sparse.cross_hashed` of string and integer features.
- `keras_text_model.keras` + `keras_text_model.json`: a Keras model (string input ->
  TextVectorization -> Embedding -> pooling -> Dense, and a StringLookup tf_idf branch) saved by
  Keras with its predictions, for kerasish to load.
- `keras_lookup_model.keras` (StringLookup, tf_idf) and `keras_int_model.keras` (IntegerLookup,
  tf_idf, -> Dense), with `keras_lookup_model.json`: their predictions and adapted state.
- `keras_pipeline_model.keras` / `.json`: a `Pipeline` (StringLookup -> CategoryEncoding) saved by
  Keras, with its predictions.
- `feature_space.json`: `keras.utils.FeatureSpace` outputs (`FEATURE_SPACE_CASES`) after `adapt`.
- `keras_feature_space.keras` + `feature_space_saved.json`: a `FeatureSpace` (`FS_SAVED_*`)
  adapted and saved by Keras (`FeatureSpace.save`), with its outputs on `FS_PROBE` and the outputs
  of `kerasish_feature_space.keras` (written by kerasish first) as Keras loads it.
  `--feature-space-only` writes just these.
- `kerasish_text_model.json` / `kerasish_int_model.json`: the predictions of
  `kerasish_text_model.keras` / `kerasish_int_model.keras` (written by kerasish from this
  checkout, first) as Keras on TensorFlow loads them: the other direction.

Tests: tests/layers/preprocessing/test_text_goldens.py. Usage:

```
python tools/make_preprocessing_goldens.py            # makes /tmp/tfk3env if needed
python tools/make_preprocessing_goldens.py --venv DIR
python tools/make_preprocessing_goldens.py --feature-space-only
```
"""

import argparse
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(REPO, "tests", "goldens", "preprocessing")
sys.path.insert(0, REPO)

from tests.layers.preprocessing.golden_cases import (  # noqa: E402
    CASES, FEATURE_SPACE_CASES, FS_DATA, FS_PROBE, FS_SAVED_FEATURES, FS_SAVED_KWARGS,
    HASH_INTS, HASH_KEYS, MODEL_INTS, MODEL_TEXTS, hash_strings, kerasish_feature_space,
    kerasish_int_model, kerasish_text_model)

# Runs inside the TensorFlow environment: reads the spec as JSON on stdin, writes the goldens.
_WORKER = r'''
import json, os, sys
os.environ["KERAS_BACKEND"] = "tensorflow"
import numpy as np
import tensorflow as tf
import keras

spec = json.load(sys.stdin)
out_dir = spec["out_dir"]
CALLABLES = {
    "upper": lambda x: tf.strings.upper(x),
    "split_comma": lambda x: tf.strings.split(x, sep=","),
}


def plain(value):
    if isinstance(value, tf.RaggedTensor):
        value = value.to_list()
    if hasattr(value, "numpy"):
        value = value.numpy()
    if isinstance(value, np.ndarray):
        dtype = str(value.dtype)
        if value.dtype.kind in "OS":
            return {"dtype": "string", "value": np.vectorize(
                lambda b: b.decode("utf-8") if isinstance(b, bytes) else b, otypes=[object])(
                value).tolist() if value.size else value.tolist()}
        return {"dtype": dtype, "value": value.tolist()}
    if isinstance(value, list):
        return {"dtype": "list", "value": [v.decode() if isinstance(v, bytes) else v
                                           for v in value]}
    return {"dtype": type(value).__name__, "value": value}


def array(spec_value):
    if isinstance(spec_value, dict):
        return np.array(spec_value["value"], dtype=spec_value["dtype"])
    return np.array(spec_value)


def build(case):
    kwargs = dict(case["kwargs"])
    if isinstance(kwargs.get("ngrams"), list):
        kwargs["ngrams"] = tuple(kwargs["ngrams"])
    for key in ("standardize", "split"):
        if isinstance(kwargs.get(key), str) and kwargs[key].startswith("callable:"):
            kwargs[key] = CALLABLES[kwargs[key].split(":", 1)[1]]
    if "vocabulary_file" in case:
        path = os.path.join(out_dir, "_vocab.txt")
        with open(path, "w") as f:
            f.write("\n".join(str(t) for t in case["vocabulary_file"]) + "\n")
        kwargs["vocabulary"] = path
    layer = getattr(keras.layers, case["layer"])(**kwargs)
    if "adapt" in case:
        data = case["adapt"]
        if case.get("adapt_batches"):
            data = iter([array(b) for b in data])  # a generator of batches
        else:
            data = array(data)
        layer.adapt(data)
    return layer


results = {}
for case in spec["cases"]:
    print("case", case["id"], file=sys.stderr)
    layer = build(case)
    entry = {"outputs": []}
    for inputs in case["calls"]:
        if isinstance(inputs, list) and inputs and isinstance(inputs[0], dict) \
                and case["layer"] == "HashedCrossing":
            x = tuple(array(v) for v in inputs)
        else:
            x = array(inputs)
        entry["outputs"].append(plain(layer(x)))
    if hasattr(layer, "get_vocabulary"):
        entry["vocabulary"] = [v.decode() if isinstance(v, bytes) else
                               int(v) if isinstance(v, np.integer) else v
                               for v in layer.get_vocabulary()]
        entry["vocabulary_size"] = int(layer.vocabulary_size())
    lookup = getattr(layer, "_lookup_layer", layer)
    if getattr(lookup, "output_mode", None) == "tf_idf":
        entry["idf_weights"] = lookup.idf_weights_const.numpy().tolist()
    results[case["id"]] = entry

strings = spec["hash_strings"]
hashes = {"strings": strings, "ints": spec["hash_ints"],
          "fast": [int(v) for v in tf.strings.to_hash_bucket_fast(strings, 2 ** 62).numpy()],
          "strong": {}}
for key in spec["hash_keys"]:
    hashes["strong"][f"{key[0]},{key[1]}"] = [
        int(v) for v in tf.strings.to_hash_bucket_strong(strings, 2 ** 62, key=key).numpy()]
ints = np.array(spec["hash_ints"], dtype="int64")
strs = np.array(strings[:len(spec["hash_ints"])], dtype=object)
crosses = {}
for name, cols in {"int_str": [ints, strs], "str_int": [strs, ints], "str_str": [strs, strs[::-1]],
                   "int_int_str": [ints, ints[::-1], strs]}.items():
    dense = tf.sparse.to_dense(tf.sparse.cross_hashed(
        [tf.constant(c.reshape(-1, 1)) for c in cols], 2 ** 62))
    crosses[name] = [int(v) for v in dense.numpy().reshape(-1)]
hashes["cross"] = crosses

# A Keras model saved by Keras, with its predictions.
keras.utils.set_random_seed(0)
texts = np.array(spec["model_texts"])
vec = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=6)
vec.adapt(texts)
lookup = keras.layers.StringLookup(output_mode="tf_idf")
lookup.adapt(np.array([(t.split() + ["pad"])[:2] for t in spec["model_texts"]]))
inp = keras.Input(shape=(), dtype="string")
x = keras.layers.Embedding(20, 4)(vec(inp))
x = keras.layers.GlobalAveragePooling1D()(x)
out = keras.layers.Dense(2)(x)
model = keras.Model(inp, out)
model.save(os.path.join(out_dir, "keras_text_model.keras"))
with open(os.path.join(out_dir, "keras_text_model.json"), "w") as f:
    json.dump({"texts": spec["model_texts"], "predictions": model.predict(tf.constant(spec["model_texts"]), verbose=0).tolist(),
               "vocabulary": vec.get_vocabulary()}, f)
lookup_model = keras.Sequential([keras.Input(shape=(2,), dtype="string"), lookup])
lookup_model.save(os.path.join(out_dir, "keras_lookup_model.keras"))
pairs = [["the", "movie"], ["great", "pad"], ["zzz", "the"]]
int_data = np.array(spec["model_ints"], dtype="int64")
int_lookup = keras.layers.IntegerLookup(output_mode="tf_idf", max_tokens=6, mask_token=0)
int_lookup.adapt(int_data)
int_in = keras.Input(shape=(3,), dtype="int64")
int_model = keras.Model(int_in, keras.layers.Dense(2)(int_lookup(int_in)))
int_model.save(os.path.join(out_dir, "keras_int_model.keras"))
with open(os.path.join(out_dir, "keras_lookup_model.json"), "w") as f:
    json.dump({"pairs": pairs, "predictions": lookup_model.predict(tf.constant(pairs),
                                                                   verbose=0).tolist(),
               "vocabulary": lookup.get_vocabulary(),
               "int_inputs": spec["model_ints"],
               "int_predictions": int_model.predict(int_data, verbose=0).tolist(),
               "int_vocabulary": [int(v) for v in int_lookup.get_vocabulary()],
               "int_idf": int_lookup.idf_weights_const.numpy().tolist()}, f)

pipe_lookup = keras.layers.StringLookup()
pipe_lookup.adapt(np.array([["a", "b", "b"], ["c", "b", "a"]]))
pipeline = keras.layers.Pipeline([pipe_lookup, keras.layers.CategoryEncoding(5, "count")])
pipe_model = keras.Sequential([keras.Input(shape=(3,), dtype="string"), pipeline])
pipe_model.save(os.path.join(out_dir, "keras_pipeline_model.keras"))
pipe_probe = [["a", "q", "b"], ["c", "c", "a"]]
with open(os.path.join(out_dir, "keras_pipeline_model.json"), "w") as f:
    json.dump({"inputs": pipe_probe,
               "predictions": pipe_model.predict(tf.constant(pipe_probe), verbose=0).tolist()}, f)

# The other direction: the kerasish file, loaded by Keras on TensorFlow.
path = os.path.join(out_dir, "kerasish_text_model.keras")
if os.path.exists(path):
    loaded = keras.saving.load_model(path)
    with open(os.path.join(out_dir, "kerasish_text_model.json"), "w") as f:
        json.dump({"texts": spec["model_texts"],
                   "predictions": loaded.predict(tf.constant(spec["model_texts"]), verbose=0).tolist(),
                   "vocabulary": loaded.layers[1].get_vocabulary()}, f)
path = os.path.join(out_dir, "kerasish_int_model.keras")
if os.path.exists(path):
    loaded = keras.saving.load_model(path)
    with open(os.path.join(out_dir, "kerasish_int_model.json"), "w") as f:
        json.dump({"predictions": loaded.predict(int_data, verbose=0).tolist(),
                   "vocabulary": [int(v) for v in loaded.layers[1].get_vocabulary()],
                   "idf": loaded.layers[1].idf_weights_const.numpy().tolist()}, f)

# FeatureSpace: adapted on a dict of arrays, called on a batch and on one sample.
def feature_spec(value):
    if isinstance(value, list):
        return getattr(keras.utils.FeatureSpace, value[0])(**value[1])
    return value


def as_arrays(data):
    return {k: np.array(v, dtype="int32" if isinstance(v[0], int) else None)
            for k, v in data.items()}


spaces = {}
for case_id, features, kwargs in spec["feature_space_cases"]:
    kwargs = dict(kwargs)
    if "crosses" in kwargs:
        kwargs["crosses"] = [tuple(c) for c in kwargs["crosses"]]
    space = keras.utils.FeatureSpace({k: feature_spec(v) for k, v in features.items()}, **kwargs)
    space.adapt(tf.data.Dataset.from_tensor_slices(as_arrays(spec["fs_data"])))
    probe = {k: v for k, v in as_arrays(spec["fs_probe"]).items() if k in features}
    out = space(probe)
    one = space({k: v[:1] for k, v in probe.items()})
    listify = lambda o: ({k: np.asarray(v).tolist() for k, v in o.items()}
                         if isinstance(o, dict) else np.asarray(o).tolist())
    spaces[case_id] = {"batch": listify(out), "one": listify(one)}
with open(os.path.join(out_dir, "feature_space.json"), "w") as f:
    json.dump(spaces, f)

os.remove(os.path.join(out_dir, "_vocab.txt")) if os.path.exists(
    os.path.join(out_dir, "_vocab.txt")) else None
with open(os.path.join(out_dir, "layers.json"), "w") as f:
    json.dump({"versions": [tf.__version__, keras.__version__], "cases": results}, f)
with open(os.path.join(out_dir, "hashes.json"), "w") as f:
    json.dump(hashes, f)
'''

# FeatureSpace.save both ways (a worker of its own, so it can run alone).
_FS_WORKER = r'''
import json, os, sys
os.environ["KERAS_BACKEND"] = "tensorflow"
import numpy as np
import tensorflow as tf
import keras

spec = json.load(sys.stdin)
out_dir = spec["out_dir"]
FS = keras.utils.FeatureSpace
arrays = lambda d: {k: np.array(v, dtype="int32" if isinstance(v[0], int) else None)
                    for k, v in d.items() if k in spec["features"]}
features = {k: getattr(FS, v[0])(**v[1]) if isinstance(v, list) else v
            for k, v in spec["features"].items()}
kwargs = dict(spec["kwargs"], crosses=[tuple(c) for c in spec["kwargs"]["crosses"]])
space = FS(features, **kwargs)
space.adapt(arrays(spec["data"]))
probe = arrays(spec["probe"])
path = os.path.join(out_dir, "keras_feature_space.keras")
space.save(path)
theirs = keras.saving.load_model(os.path.join(out_dir, "kerasish_feature_space.keras"))
with open(os.path.join(out_dir, "feature_space_saved.json"), "w") as f:
    json.dump({"keras": np.asarray(space(probe)).tolist(),
               "keras_reloaded": np.asarray(keras.saving.load_model(path)(probe)).tolist(),
               "kerasish_file_in_keras": np.asarray(theirs(probe)).tolist()}, f)
'''


def ensure_venv(venv):
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    probe = subprocess.run([python, "-c", "import tensorflow, keras; "
                            "assert keras.__version__.startswith('3.15')"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run([python, "-m", "pip", "install", "-q", "tensorflow-cpu", "keras==3.15.*"],
                       check=True)
    return python


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", default="/tmp/tfk3env")
    parser.add_argument("--feature-space-only", action="store_true")
    args = parser.parse_args()
    python = ensure_venv(args.venv)
    os.makedirs(OUT_DIR, exist_ok=True)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="", PYTHONHASHSEED="0")
    kerasish_feature_space(os.path.join(OUT_DIR, "kerasish_feature_space.keras"))
    fs_spec = {"features": FS_SAVED_FEATURES, "kwargs": FS_SAVED_KWARGS, "data": FS_DATA,
               "probe": FS_PROBE, "out_dir": OUT_DIR}
    done = subprocess.run([python, "-c", _FS_WORKER], input=json.dumps(fs_spec), text=True, env=env)
    if done.returncode:
        sys.exit(f"the FeatureSpace worker failed (exit {done.returncode}): see its traceback above")
    if args.feature_space_only:
        print(f"wrote the FeatureSpace files in {OUT_DIR}")
        return
    # kerasish writes its file first, for Keras to load below.
    kerasish_text_model(os.path.join(OUT_DIR, "kerasish_text_model.keras"))
    kerasish_int_model(os.path.join(OUT_DIR, "kerasish_int_model.keras"))
    spec = {"cases": CASES, "hash_strings": hash_strings(), "hash_ints": HASH_INTS,
            "hash_keys": HASH_KEYS, "model_texts": MODEL_TEXTS, "model_ints": MODEL_INTS,
            "feature_space_cases": FEATURE_SPACE_CASES, "fs_data": FS_DATA, "fs_probe": FS_PROBE,
            "out_dir": OUT_DIR}
    done = subprocess.run([python, "-c", _WORKER], input=json.dumps(spec), text=True, env=env)
    if done.returncode:
        sys.exit(f"the TensorFlow worker failed (exit {done.returncode}): see its traceback above")
    print(f"wrote {OUT_DIR}")


if __name__ == "__main__":
    main()
