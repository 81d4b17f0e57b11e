"""Timeseries classification with a Transformer model, as on keras.io, on synthetic signals.

The model code is keras.io's "Timeseries classification with a Transformer model" example
(Keras 3): stacked encoder blocks (`MultiHeadAttention`, `Dropout`, `LayerNormalization`, a
residual connection, then a feed-forward part made of two `Conv1D(kernel_size=1)`), global average
pooling and an MLP head. It is plain Keras 3 code (`import keras`): run it on kerasish with

    python -m kerasish examples/transformer_timeseries_classification.py [--quick]

(or with `python examples/...` on Keras itself). Instead of the FordA recordings (a download), the
series are made here: noisy sines whose class says whether a short burst of a faster oscillation
is hidden somewhere in them. At the end the model is saved to `.keras`, loaded back, and must give
identical predictions.
"""

import argparse
import os
import tempfile

import numpy as np

import keras
from keras import layers

SERIES_LENGTH = 96  # keras.io's FordA series have 500 steps
n_classes = 2


def make_series(n, rng):
    """`(n, SERIES_LENGTH, 1)` noisy sines; label 1 when a fast burst is hidden in the series."""
    t = np.arange(SERIES_LENGTH, dtype="float32")
    phase = rng.uniform(0, 2 * np.pi, size=(n, 1))
    period = rng.uniform(20, 40, size=(n, 1))
    x = np.sin(2 * np.pi * t / period + phase) + 0.3 * rng.standard_normal((n, SERIES_LENGTH))
    y = rng.integers(0, 2, size=n)
    for i in np.flatnonzero(y):
        start = rng.integers(0, SERIES_LENGTH - 16)
        x[i, start:start + 16] += 1.5 * np.sin(2 * np.pi * np.arange(16) / 4.0)
    return x[..., None].astype("float32"), y.astype("int32")


def transformer_encoder(inputs, head_size, num_heads, ff_dim, dropout=0):
    # Attention and Normalization
    x = layers.MultiHeadAttention(
        key_dim=head_size, num_heads=num_heads, dropout=dropout
    )(inputs, inputs)
    x = layers.Dropout(dropout)(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x)
    res = x + inputs

    # Feed Forward Part
    x = layers.Conv1D(filters=ff_dim, kernel_size=1, activation="relu")(res)
    x = layers.Dropout(dropout)(x)
    x = layers.Conv1D(filters=inputs.shape[-1], kernel_size=1)(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x)
    return x + res


def build_model(input_shape, head_size, num_heads, ff_dim, num_transformer_blocks, mlp_units,
                dropout=0, mlp_dropout=0):
    inputs = keras.Input(shape=input_shape)
    x = inputs
    for _ in range(num_transformer_blocks):
        x = transformer_encoder(x, head_size, num_heads, ff_dim, dropout)

    x = layers.GlobalAveragePooling1D(data_format="channels_last")(x)
    for dim in mlp_units:
        x = layers.Dense(dim, activation="relu")(x)
        x = layers.Dropout(mlp_dropout)(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few training steps (for tests)")
    parser.add_argument("--save-dir", default=None, help="where the .keras file goes")
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x_train, y_train = make_series(192 if args.quick else 3000, rng)
    x_test, y_test = make_series(64 if args.quick else 1000, rng)

    # keras.io: head_size=256, num_heads=4, ff_dim=4, 4 blocks, mlp_units=[128]; smaller for a CPU.
    model = build_model(x_train.shape[1:], head_size=32 if args.quick else 64, num_heads=4,
                        ff_dim=4, num_transformer_blocks=2 if args.quick else 4, mlp_units=[128],
                        mlp_dropout=0.4, dropout=0.25)
    model.compile(loss="sparse_categorical_crossentropy",
                  optimizer=keras.optimizers.Adam(learning_rate=1e-4),
                  metrics=["sparse_categorical_accuracy"])
    callbacks = [keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)]
    model.fit(x_train, y_train, validation_split=0.2, epochs=1 if args.quick else 50,
              batch_size=64, callbacks=callbacks, verbose=2)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"Test accuracy: {accuracy:.4f}")

    save_dir = args.save_dir or tempfile.mkdtemp()
    path = os.path.join(save_dir, "transformer_timeseries_classification.keras")
    model.save(path)
    reloaded = keras.models.load_model(path)
    same = np.array_equal(model.predict(x_test, verbose=0), reloaded.predict(x_test, verbose=0))
    print(f"Reloaded from {path}: identical predictions: {same}")
    if not same:
        raise SystemExit("The reloaded model predicts differently.")
    return model


if __name__ == "__main__":
    main()
