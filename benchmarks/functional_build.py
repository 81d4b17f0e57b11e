"""How long building functional models takes (the symbolic calls: output shapes of every layer).

Run from a checkout root: `PYTHONPATH=. python benchmarks/functional_build.py`. Prints the best of 5
builds per model: an MLP, a CNN, an LSTM model, and a stack of 8 residual conv blocks.
"""

import time

import kerasish
from kerasish import layers


def mlp():
    x = kerasish.Input((784,))
    h = layers.Dense(512, activation="relu")(x)
    h = layers.Dropout(0.2)(h)
    h = layers.Dense(512, activation="relu")(h)
    return kerasish.Model(x, layers.Dense(10, activation="softmax")(h))


def cnn():
    x = kerasish.Input((64, 64, 3))
    h = layers.Conv2D(32, 3, activation="relu")(x)
    h = layers.MaxPooling2D()(h)
    h = layers.Conv2D(64, 3, activation="relu")(h)
    h = layers.BatchNormalization()(h)
    h = layers.Flatten()(h)
    return kerasish.Model(x, layers.Dense(10)(h))


def lstm():
    x = kerasish.Input((None,), dtype="int32")
    h = layers.Embedding(1000, 64)(x)
    h = layers.LSTM(128, return_sequences=True)(h)
    h = layers.LSTM(64)(h)
    return kerasish.Model(x, layers.Dense(1)(h))


def resnet_blocks():
    x = kerasish.Input((32, 32, 16))
    h = x
    for _ in range(8):
        y = layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        y = layers.Conv2D(16, 3, padding="same")(y)
        y = layers.BatchNormalization()(y)
        h = layers.Add()([h, y])
    h = layers.GlobalAveragePooling2D()(h)
    return kerasish.Model(x, layers.Dense(10)(h))


def main():
    for build in (mlp, cnn, lstm, resnet_blocks):
        build()  # warm up (imports, first-call caches)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            build()
            times.append(time.perf_counter() - start)
        print(f"{build.__name__:14s} {min(times) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
