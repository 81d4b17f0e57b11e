"""Text classification with a Transformer block, as on keras.io, on a synthetic sentiment task.

The model code is keras.io's "Text classification with Transformer" example (Keras 3): a
`TokenAndPositionEmbedding` and a `TransformerBlock` (`MultiHeadAttention` + feed-forward network,
each with dropout, a residual connection and `LayerNormalization`), average pooling and a small
classifier. It is plain Keras 3 code (`import keras`): run it on kerasish with

    python -m kerasish examples/transformer_text_classification.py [--quick]

(or with `python examples/transformer_text_classification.py` on Keras itself). Instead of IMDB
(a download), each "review" is made here: word ids 1-10 are positive words, 11-20 negative ones,
the rest neutral, and a review is positive when it holds more positive than negative words. At the
end the model is saved to `.keras`, loaded back, and must give identical predictions.
"""

import argparse
import os
import tempfile

import numpy as np

import keras
from keras import layers, ops

VOCAB_SIZE = 2000  # only consider the top 2k words (keras.io: 20k)
MAXLEN = 64  # only consider the first 64 words of each review (keras.io: 200)
POSITIVE, NEGATIVE = np.arange(1, 11), np.arange(11, 21)


@keras.saving.register_keras_serializable(package="transformer_text")
class TransformerBlock(layers.Layer):
    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.embed_dim, self.num_heads, self.ff_dim, self.rate = embed_dim, num_heads, ff_dim, rate
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = keras.Sequential(
            [layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)]
        )
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs):
        attn_output = self.att(inputs, inputs)
        attn_output = self.dropout1(attn_output)
        out1 = self.layernorm1(inputs + attn_output)
        ffn_output = self.ffn(out1)
        ffn_output = self.dropout2(ffn_output)
        return self.layernorm2(out1 + ffn_output)

    def get_config(self):
        return {**super().get_config(), "embed_dim": self.embed_dim, "num_heads": self.num_heads,
                "ff_dim": self.ff_dim, "rate": self.rate}


@keras.saving.register_keras_serializable(package="transformer_text")
class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.maxlen, self.vocab_size, self.embed_dim = maxlen, vocab_size, embed_dim
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = ops.shape(x)[-1]
        positions = ops.arange(start=0, stop=maxlen, step=1)
        positions = self.pos_emb(positions)
        x = self.token_emb(x)
        return x + positions

    def get_config(self):
        return {**super().get_config(), "maxlen": self.maxlen, "vocab_size": self.vocab_size,
                "embed_dim": self.embed_dim}


def make_reviews(n, rng):
    """Padded word-id sequences and 0/1 labels (more positive than negative words -> 1)."""
    x = np.zeros((n, MAXLEN), dtype="int32")
    y = np.zeros((n,), dtype="int32")
    for i in range(n):
        length = rng.integers(16, MAXLEN + 1)
        n_pos, n_neg = rng.choice(6, size=2, replace=False)  # never a tie
        words = np.concatenate([rng.choice(POSITIVE, n_pos), rng.choice(NEGATIVE, n_neg),
                                rng.integers(21, VOCAB_SIZE, size=length - n_pos - n_neg)])
        x[i, :length] = rng.permutation(words)
        y[i] = int(n_pos > n_neg)
    return x, y


def build_model(embed_dim=32, num_heads=2, ff_dim=32):
    """keras.io's model: embed_dim 32, 2 heads, ff_dim 32."""
    inputs = layers.Input(shape=(MAXLEN,))
    embedding_layer = TokenAndPositionEmbedding(MAXLEN, VOCAB_SIZE, embed_dim)
    x = embedding_layer(inputs)
    transformer_block = TransformerBlock(embed_dim, num_heads, ff_dim)
    x = transformer_block(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.1)(x)
    x = layers.Dense(20, activation="relu")(x)
    x = layers.Dropout(0.1)(x)
    outputs = layers.Dense(2, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few training steps (for tests)")
    parser.add_argument("--save-dir", default=None, help="where the .keras file goes")
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    n_train, epochs = (256, 1) if args.quick else (8000, 3)
    x_train, y_train = make_reviews(n_train, rng)
    x_val, y_val = make_reviews(128 if args.quick else 1000, rng)
    print(len(x_train), "Training sequences")
    print(len(x_val), "Validation sequences")

    model = build_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=32, epochs=epochs,
                        validation_data=(x_val, y_val), verbose=2)
    print(f"Validation accuracy: {history.history['val_accuracy'][-1]:.4f}")

    save_dir = args.save_dir or tempfile.mkdtemp()
    path = os.path.join(save_dir, "transformer_text_classification.keras")
    model.save(path)
    reloaded = keras.models.load_model(path)
    same = np.array_equal(model.predict(x_val, verbose=0), reloaded.predict(x_val, verbose=0))
    print(f"Reloaded from {path}: identical predictions: {same}")
    if not same:
        raise SystemExit("The reloaded model predicts differently.")
    return model


if __name__ == "__main__":
    main()
