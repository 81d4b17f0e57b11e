"""Variational autoencoder, Keras 2 style: a sampling `Lambda`, the KL and reconstruction terms
added with `model.add_loss` on symbolic tensors, `compile()` without a loss, and
`fit(x, validation_data=(x_test, None))`.

Run: `python examples/vae.py`.
"""


import numpy as np

from kerasish import backend as K
from kerasish.layers import Dense, Input, Lambda
from kerasish.models import Model
from kerasish.datasets.mnist import SAMPLE_PATH

DATA = SAMPLE_PATH  # the 5,000-digit MNIST sample bundled with kerasish
ORIGINAL_DIM, INTERMEDIATE_DIM, LATENT_DIM = 784, 64, 2


def sampling(args):
    """The reparameterization trick: z = mean + exp(log_var / 2) * eps."""
    z_mean, z_log_var = args
    epsilon = K.random_normal(shape=K.shape(z_mean))
    return z_mean + K.exp(0.5 * z_log_var) * epsilon


def kl_divergence(args):
    z_mean, z_log_var = args
    return -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)


def build_vae():
    inputs = Input(shape=(ORIGINAL_DIM,), name="encoder_input")
    h = Dense(INTERMEDIATE_DIM, activation="relu")(inputs)
    z_mean = Dense(LATENT_DIM, name="z_mean")(h)
    z_log_var = Dense(LATENT_DIM, name="z_log_var")(h)
    z = Lambda(sampling, output_shape=(LATENT_DIM,), name="z")([z_mean, z_log_var])
    encoder = Model(inputs, [z_mean, z_log_var, z], name="encoder")

    latent_inputs = Input(shape=(LATENT_DIM,), name="z_sampling")
    x = Dense(INTERMEDIATE_DIM, activation="relu")(latent_inputs)
    decoder = Model(latent_inputs, Dense(ORIGINAL_DIM, activation="sigmoid")(x), name="decoder")

    outputs = decoder(encoder(inputs)[2])
    vae = Model(inputs, outputs, name="vae_mlp")
    reconstruction = Lambda(lambda t: K.sum(K.binary_crossentropy(t[0], t[1]), axis=-1))([inputs, outputs])
    kl = Lambda(kl_divergence)([z_mean, z_log_var])
    vae.add_loss(Lambda(K.mean)(reconstruction + kl))
    return vae, encoder, decoder


def main(epochs=2, n_train=2000, verbose=0):
    data = np.load(DATA)
    x_train = data["x_train"][:n_train].reshape(-1, ORIGINAL_DIM).astype("float32") / 255.0
    x_test = data["x_test"][:500].reshape(-1, ORIGINAL_DIM).astype("float32") / 255.0
    vae, encoder, decoder = build_vae()
    vae.compile(optimizer="adam")
    history = vae.fit(x_train, epochs=epochs, batch_size=128, validation_data=(x_test, None),
                      verbose=verbose)
    z_mean, _, _ = encoder.predict(x_test, verbose=0)
    return history, z_mean


if __name__ == "__main__":
    hist, _ = main(epochs=10, verbose=2)
    print("final loss:", hist.history["loss"][-1])
