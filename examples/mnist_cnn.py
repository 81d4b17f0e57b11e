"""The seed tutorial's MNIST CNN, written as Keras 2 code, running on kerasish.

`nb_filters`, `nb_pool` and `nb_conv` are the tutorial's names. The data is the bundled
5,000-digit MNIST sample (4,000 train, 1,000 test), read with numpy.

Usage: python examples/mnist_cnn.py [--data PATH] [--epochs N]
"""

import argparse
import time

import numpy as np

from kerasish.datasets.mnist import SAMPLE_PATH
from kerasish.layers import Activation, Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from kerasish.models import Sequential
from kerasish.utils import set_random_seed, to_categorical

DEFAULT_DATA = SAMPLE_PATH  # the 5,000-digit MNIST sample bundled with kerasish

img_rows, img_cols = 28, 28
nb_classes = 10
# number of convolutional filters to use
nb_filters = 32
# size of pooling area for max pooling
nb_pool = 2
# convolution kernel size
nb_conv = 3


def load_data(path):
    """`(x_train, y_train), (x_test, y_test)` from an `.npz` of uint8 digits (no pickle)."""
    with np.load(path, allow_pickle=False) as d:
        return (d["x_train"], d["y_train"]), (d["x_test"], d["y_test"])


def build_model():
    model = Sequential()
    model.add(Conv2D(nb_filters, (nb_conv, nb_conv), input_shape=(img_rows, img_cols, 1)))
    model.add(Activation("relu"))
    model.add(Conv2D(nb_filters, (nb_conv, nb_conv)))
    model.add(Activation("relu"))
    model.add(MaxPooling2D(pool_size=(nb_pool, nb_pool)))
    model.add(Dropout(0.25))
    model.add(Flatten())
    model.add(Dense(128))
    model.add(Activation("relu"))
    model.add(Dropout(0.5))
    model.add(Dense(nb_classes))
    model.add(Activation("softmax"))
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=DEFAULT_DATA, help="path to mnist_5k.npz")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args(argv)
    set_random_seed(0)

    (x_train, y_train), (x_test, y_test) = load_data(args.data)
    X_train = x_train.reshape(x_train.shape[0], img_rows, img_cols, 1).astype("float32") / 255
    X_test = x_test.reshape(x_test.shape[0], img_rows, img_cols, 1).astype("float32") / 255
    Y_train = to_categorical(y_train, nb_classes)
    Y_test = to_categorical(y_test, nb_classes)

    model = build_model()
    start = time.perf_counter()
    model.fit(X_train, Y_train, batch_size=args.batch_size, epochs=args.epochs, verbose=2,
              validation_data=(X_test, Y_test))
    score = model.evaluate(X_test, Y_test, verbose=0)
    print(f"Test loss: {score[0]:.4f}")
    print(f"Test accuracy: {score[1]:.4f}")
    print(f"Training time: {time.perf_counter() - start:.1f} s")
    return score


if __name__ == "__main__":
    main()
