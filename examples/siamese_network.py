"""Siamese network on MNIST pairs: a shared base network, a Lambda euclidean distance and a
contrastive loss written with `K` (the Keras 2 backend functions), as in the Keras 2 example.

Run: `python examples/siamese_network.py` (uses the MNIST sample bundled with kerasish).
"""


import numpy as np

from kerasish import backend as K
from kerasish.layers import Dense, Dropout, Flatten, Input, Lambda
from kerasish.models import Model, Sequential
from kerasish.datasets.mnist import SAMPLE_PATH

DATA = SAMPLE_PATH  # the 5,000-digit MNIST sample bundled with kerasish


def euclidean_distance(vects):
    x, y = vects
    sum_square = K.sum(K.square(x - y), axis=1, keepdims=True)
    return K.sqrt(K.maximum(sum_square, K.epsilon()))


def contrastive_loss(y_true, y_pred, margin=1.0):
    """Similar pairs (label 1) are pulled together, dissimilar ones pushed beyond `margin`."""
    square_pred = K.square(y_pred)
    margin_square = K.square(K.maximum(margin - y_pred, 0))
    return K.mean(y_true * square_pred + (1 - y_true) * margin_square)


def make_pairs(x, y, n_pairs, rng):
    by_digit = [np.where(y == d)[0] for d in range(10)]
    pairs, labels = [], []
    for _ in range(n_pairs // 2):
        d = rng.integers(10)
        a, b = rng.choice(by_digit[d], 2)
        pairs.append((x[a], x[b]))
        labels.append(1.0)
        other = (d + rng.integers(1, 10)) % 10
        pairs.append((x[a], x[rng.choice(by_digit[other])]))
        labels.append(0.0)
    pairs = np.asarray(pairs)
    return [pairs[:, 0], pairs[:, 1]], np.asarray(labels, dtype="float32")


def build_model(input_shape=(28, 28)):
    base = Sequential([Input(input_shape), Flatten(), Dense(64, activation="relu"), Dropout(0.1),
                       Dense(32, activation="relu")], name="base_network")
    left, right = Input(input_shape), Input(input_shape)
    distance = Lambda(euclidean_distance)([base(left), base(right)])
    return Model([left, right], distance)


def main(n_pairs=2000, epochs=2, verbose=0):
    data = np.load(DATA)
    rng = np.random.default_rng(0)
    x_train = data["x_train"].astype("float32") / 255.0
    x_test = data["x_test"].astype("float32") / 255.0
    train_pairs, train_labels = make_pairs(x_train, data["y_train"], n_pairs, rng)
    test_pairs, test_labels = make_pairs(x_test, data["y_test"], n_pairs // 4, rng)
    model = build_model()
    model.compile(loss=contrastive_loss, optimizer="rmsprop")
    history = model.fit(train_pairs, train_labels, batch_size=128, epochs=epochs,
                        validation_data=(test_pairs, test_labels), verbose=verbose)
    distances = model.predict(test_pairs, verbose=0).ravel()
    accuracy = float(np.mean((distances < 0.5) == (test_labels == 1)))
    return history, accuracy


if __name__ == "__main__":
    hist, acc = main(epochs=5, verbose=2)
    print(f"test pair accuracy: {acc:.3f}")
