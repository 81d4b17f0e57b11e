"""An image classifier with data augmentation inside the model (keras.io's "image classification
from scratch" pattern, written as Keras 3 code), on the bundled MNIST sample.

The augmentation layers (`RandomRotation`, `RandomZoom`, `RandomTranslation`) run on the model's
device during `fit` and are the identity in `predict`/`evaluate`; `Rescaling` maps [0, 255] to
[0, 1]. The trained model is saved to `.keras` and reloaded; the reloaded model predicts the
same numbers.

Usage: python examples/image_augmentation_classifier.py [--data PATH] [--epochs N] [--out FILE]
"""

import argparse

import numpy as np

import kerasish as keras
from kerasish import layers
from kerasish.datasets.mnist import SAMPLE_PATH


def load_data(path, train=2000, test=500):
    """`(x_train, y_train), (x_test, y_test)`: uint8 digits with a channel axis (no pickle)."""
    with np.load(path, allow_pickle=False) as d:
        return ((d["x_train"][:train, ..., None], d["y_train"][:train]),
                (d["x_test"][:test, ..., None], d["y_test"][:test]))


def build_model(input_shape=(28, 28, 1), num_classes=10, seed=1):
    augmentation = keras.Sequential([
        layers.RandomRotation(0.05, fill_mode="constant", seed=seed),
        layers.RandomZoom(0.1, fill_mode="constant", seed=seed + 1),
        layers.RandomTranslation(0.1, 0.1, fill_mode="constant", seed=seed + 2),
    ], name="augmentation")
    inputs = keras.Input(input_shape)
    x = layers.Rescaling(1.0 / 255)(inputs)
    x = augmentation(x)
    x = layers.Conv2D(16, 3, activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Flatten()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=SAMPLE_PATH)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--out", default="augmented_classifier.keras")
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = load_data(args.data)
    model = build_model()
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=64, epochs=args.epochs, verbose=0)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"Test accuracy: {accuracy:.4f}")
    model.save(args.out)
    reloaded = keras.models.load_model(args.out)
    same = np.array_equal(model.predict(x_test, verbose=0), reloaded.predict(x_test, verbose=0))
    print(f"Saved to {args.out}; reloaded predictions identical: {same}")
    return model, reloaded, (x_test, y_test), accuracy


if __name__ == "__main__":
    main()
