"""An LSTM sentiment classifier, written as Keras code, trained on a synthetic task it makes itself.

Each "review" is a sequence of word ids: ids 1-10 are positive words, 11-20 negative words, the
rest neutral. A review is positive (label 1) when it holds more positive than negative words.
Reviews have different lengths and are padded with 0 at the end; `Embedding(mask_zero=True)` tells
the LSTM to skip the padding.

Usage: python examples/lstm_text_classification.py [--quick]
"""

import argparse

import numpy as np

import kerasish as keras
from kerasish import layers

VOCAB, MAXLEN = 200, 40
POSITIVE, NEGATIVE = np.arange(1, 11), np.arange(11, 21)


def make_reviews(n, rng):
    """Padded word-id sequences and 0/1 labels (more positive than negative words -> 1)."""
    x = np.zeros((n, MAXLEN), dtype="int64")
    y = np.zeros((n,), dtype="float32")
    for i in range(n):
        length = rng.integers(10, MAXLEN + 1)
        n_pos, n_neg = rng.choice(6, size=2, replace=False)  # never a tie
        words = np.concatenate([rng.choice(POSITIVE, n_pos), rng.choice(NEGATIVE, n_neg),
                                rng.integers(21, VOCAB, size=length - n_pos - n_neg)])
        x[i, :length] = rng.permutation(words)
        y[i] = float(n_pos > n_neg)
    return x, y


def build_model():
    model = keras.Sequential([
        layers.Embedding(VOCAB, 128, mask_zero=True, input_length=MAXLEN),
        layers.LSTM(128),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=3e-3), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run (well under a minute)")
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    n_train, epochs = (1600, 4) if args.quick else (10000, 6)
    x_train, y_train = make_reviews(n_train, rng)
    x_test, y_test = make_reviews(1000, rng)
    model = build_model()
    model.fit(x_train, y_train, batch_size=32, epochs=epochs, verbose=2,
              validation_data=(x_test, y_test))
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"Test accuracy: {float(accuracy):.4f}")
    return float(accuracy)


if __name__ == "__main__":
    main()
