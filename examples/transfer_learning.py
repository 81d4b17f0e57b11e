"""Transfer learning: train a small convolution-free base on digits 0-4, freeze it, put a new head
on it for digits 5-9, re-compile and train only the head; then unfreeze and fine-tune.

Run: `python examples/transfer_learning.py`.
"""


import numpy as np

from kerasish.layers import Dense, Flatten, Input
from kerasish.models import Model, Sequential
from kerasish.optimizers import Adam
from kerasish.datasets.mnist import SAMPLE_PATH

DATA = SAMPLE_PATH  # the 5,000-digit MNIST sample bundled with kerasish


def load(digits):
    data = np.load(DATA)
    x, y = data["x_train"], data["y_train"]
    keep = np.isin(y, digits)
    return x[keep].astype("float32") / 255.0, (y[keep] - min(digits)).astype("int64")


def main(epochs=2, verbose=0):
    x_a, y_a = load([0, 1, 2, 3, 4])
    x_b, y_b = load([5, 6, 7, 8, 9])
    base = Sequential([Input((28, 28)), Flatten(), Dense(64, activation="relu", name="features")],
                      name="base")
    inputs = Input((28, 28))
    model_a = Model(inputs, Dense(5, activation="softmax")(base(inputs)))
    model_a.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model_a.fit(x_a, y_a, epochs=epochs, batch_size=64, verbose=verbose)

    base.trainable = False  # freeze, then re-compile so the change takes effect
    frozen = [w.copy() for w in base.get_weights()]
    outputs = Dense(5, activation="softmax", name="new_head")(base(inputs))
    model_b = Model(inputs, outputs)
    model_b.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    head_history = model_b.fit(x_b, y_b, epochs=epochs, batch_size=64, verbose=verbose)
    unchanged = all(np.array_equal(a, b) for a, b in zip(frozen, base.get_weights()))

    base.trainable = True  # fine-tune everything with a small learning rate
    model_b.compile(optimizer=Adam(1e-4), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    tune_history = model_b.fit(x_b, y_b, epochs=1, batch_size=64, verbose=verbose)
    return head_history, tune_history, unchanged, model_b


if __name__ == "__main__":
    head, tune, unchanged, _ = main(epochs=3, verbose=2)
    print("base unchanged while frozen:", unchanged, "fine-tuned accuracy:", tune.history["accuracy"][-1])
