"""A bag-of-embeddings sentiment classifier on raw strings, written as Keras 3 code.

The model starts with `TextVectorization` (adapted on the training texts), so it takes strings
end to end: `Input(dtype="string") -> TextVectorization -> Embedding -> GlobalAveragePooling1D ->
Dense`. It trains on a synthetic task it makes itself (a review is positive when it holds more
positive than negative words), saves to `.keras` (the vocabulary goes in the file's assets, as
Keras stores it) and reloads with identical predictions.

Usage: python examples/text_vectorization_classifier.py [--quick]
"""

import argparse
import os
import tempfile

import numpy as np

import kerasish as keras
from kerasish import layers

POSITIVE = ["great", "good", "wonderful", "superb", "fun", "moving", "brilliant", "charming"]
NEGATIVE = ["bad", "boring", "awful", "dull", "terrible", "weak", "silly", "tedious"]
NEUTRAL = ["the", "a", "movie", "film", "plot", "actor", "scene", "story", "and", "was", "it",
           "ending", "music", "director", "script", "with", "of", "this", "really", "quite"]


def make_reviews(n, rng):
    """Review strings (with punctuation and capitals, which the layer standardizes) and labels."""
    texts, labels = [], []
    for _ in range(n):
        n_pos, n_neg = rng.choice(5, size=2, replace=False)  # never a tie
        words = list(rng.choice(POSITIVE, n_pos)) + list(rng.choice(NEGATIVE, n_neg)) + \
            list(rng.choice(NEUTRAL, rng.integers(4, 12)))
        words = [w.capitalize() if rng.random() < 0.2 else w for w in rng.permutation(words)]
        texts.append(" ".join(words) + rng.choice([".", "!", "?", ""]))
        labels.append(float(n_pos > n_neg))
    return np.array(texts), np.array(labels, dtype="float32")


def build_model(train_texts, max_tokens=64, sequence_length=20):
    vectorizer = layers.TextVectorization(max_tokens=max_tokens,
                                          output_sequence_length=sequence_length)
    vectorizer.adapt(train_texts)
    inputs = keras.Input(shape=(1,), dtype="string")
    x = vectorizer(inputs)
    x = layers.Embedding(max_tokens, 16)(x)
    x = layers.GlobalAveragePooling1D()(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


def main(quick=False, folder=None):
    keras.utils.set_random_seed(7)
    rng = np.random.default_rng(7)
    x_train, y_train = make_reviews(400 if quick else 4000, rng)
    x_test, y_test = make_reviews(200 if quick else 1000, rng)
    model = build_model(x_train)
    model.fit(x_train, y_train, batch_size=32, epochs=6 if quick else 10, verbose=0)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"Test accuracy: {accuracy:.3f}")
    folder = folder or tempfile.mkdtemp()
    path = os.path.join(folder, "text_classifier.keras")
    model.save(path)
    reloaded = keras.saving.load_model(path)
    before, after = model.predict(x_test, verbose=0), reloaded.predict(x_test, verbose=0)
    print(f"Reloaded predictions differ by at most {np.abs(before - after).max():.2e}")
    return model, reloaded, accuracy, (x_test, before, after)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    main(parser.parse_args().quick)
