"""Transfer learning from `kerasish.applications`: a VGG16 base with ImageNet weights (Keras's
published file, downloaded once into ~/.keras/models), frozen, a new classification head trained on
top, then the last convolution block unfrozen and fine-tuned with a small learning rate.

Run: `python examples/applications_transfer_learning.py` (downloads 58 MB on the first run).
The data are synthetic 32x32 images (horizontal vs vertical stripes) so the script runs anywhere.
"""

import numpy as np

from kerasish import applications, layers, optimizers
from kerasish.models import Model

SIZE = 32  # VGG16's minimum input size without its top


def make_data(n, seed=0):
    """Noisy RGB images in [0, 255]: class 0 has horizontal stripes, class 1 vertical ones."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    stripes = (np.arange(SIZE) // 4 % 2).astype("float32") * 160.0
    x = rng.uniform(0, 80, (n, SIZE, SIZE, 3)).astype("float32")
    x[y == 0] += stripes[None, :, None, None]
    x[y == 1] += stripes[None, None, :, None]
    return x, y.astype("int64")


def build(weights="imagenet"):
    base = applications.VGG16(weights=weights, include_top=False, input_shape=(SIZE, SIZE, 3))
    base.trainable = False
    inputs = layers.Input((SIZE, SIZE, 3))
    x = applications.vgg16.preprocess_input(inputs)
    x = base(x, training=False)  # batch-norm-free here, but the Keras idiom for frozen bases
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(2, activation="softmax", name="head")(x)
    return base, Model(inputs, outputs)


def main(epochs=3, fine_tune_epochs=1, n=256, verbose=0):
    x, y = make_data(n)
    x_test, y_test = make_data(64, seed=1)
    base, model = build()
    model.compile(optimizer=optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    print(f"Trainable weights with the base frozen: {len(model.trainable_weights)}")
    model.fit(x, y, batch_size=32, epochs=epochs, verbose=verbose)
    # Fine-tune: unfreeze the last block only, re-compile so the change takes effect.
    base.trainable = True
    for layer in base.layers:
        layer.trainable = layer.name.startswith("block5")
    model.compile(optimizer=optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    print(f"Trainable weights while fine-tuning: {len(model.trainable_weights)}")
    model.fit(x, y, batch_size=32, epochs=fine_tune_epochs, verbose=verbose)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"Test accuracy: {accuracy:.3f}")
    return accuracy


if __name__ == "__main__":
    main(verbose=1)
