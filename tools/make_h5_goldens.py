"""Writes the legacy `.h5` golden files under `tests/goldens/h5/` with tf-keras 2.x.

Run with a Python that has TensorFlow and tf-keras (not needed by the tests, which only read the
files):

    python -m venv /tmp/tfenv && /tmp/tfenv/bin/pip install tensorflow-cpu tf-keras
    /tmp/tfenv/bin/python tools/make_h5_goldens.py

For each model it writes `<name>.h5` (whole model, Keras 2 layout: `dense_1/kernel:0` weight names,
tf.keras training config) and `<name>.npz` holding the input `x` and tf-keras's predictions `y`.
"""

import os
import sys

os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402
import tf_keras as keras  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "goldens", "h5")


def mlp():
    model = keras.Sequential([
        keras.layers.Dense(16, activation="relu", input_shape=(8,)),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(12),
        keras.layers.Reshape((3, 4)),
        keras.layers.Flatten(),
        keras.layers.Dense(3, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.legacy.SGD(lr=0.05, momentum=0.9, nesterov=True),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    return model, (8,)


def cnn():
    model = keras.Sequential([
        keras.layers.Conv2D(4, (3, 3), padding="same", activation="relu", input_shape=(8, 8, 1)),
        keras.layers.BatchNormalization(),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dense(3, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model, (8, 8, 1)


def rnn():
    model = keras.Sequential([
        keras.layers.LSTM(6, return_sequences=True, input_shape=(5, 3)),
        keras.layers.GRU(4),
        keras.layers.Dense(3, activation="softmax"),
    ])
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
    return model, (5, 3)


def functional():
    a = keras.Input((6,), name="a")
    b = keras.Input((4,), name="b")
    shared = keras.layers.Dense(5, activation="tanh", name="shared")
    merged = keras.layers.concatenate([shared(keras.layers.Dense(5)(a)), shared(keras.layers.Dense(5)(b))])
    model = keras.Model([a, b], keras.layers.Dense(3, activation="softmax")(merged))
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model, [(6,), (4,)]


MODELS = {"tfkeras_mlp": mlp, "tfkeras_cnn": cnn, "tfkeras_rnn": rnn, "tfkeras_functional": functional}


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)
    for name, build in MODELS.items():
        model, shape = build()
        shapes = shape if isinstance(shape, list) else [shape]
        xs = [rng.normal(size=(6,) + s).astype("float32") for s in shapes]
        y = keras.utils.to_categorical(rng.integers(0, 3, size=6), 3)
        model.fit(xs if len(xs) > 1 else xs[0], y, epochs=2, batch_size=3, verbose=0)
        model.save(os.path.join(OUT, f"{name}.h5"))
        pred = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        np.savez(os.path.join(OUT, f"{name}.npz"), y=pred, **{f"x{i}": x for i, x in enumerate(xs)})
        print(name, "written")
    print("tf-keras", keras.__version__, file=sys.stderr)


if __name__ == "__main__":
    main()
