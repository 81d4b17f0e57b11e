"""A variational autoencoder on MNIST, Keras 2 style: a `Lambda` layer samples the latent code with
the reparameterisation trick, and the loss (reconstruction + KL divergence) is built from the model's
own tensors with `K` and attached with `add_loss`, so `compile` takes no loss.
"""
from __future__ import print_function

import numpy as np
from keras.layers import Lambda, Input, Dense
from keras.models import Model
from keras.datasets import mnist
from keras.losses import binary_crossentropy
from keras import backend as K


def sampling(args):
    """z = mean + sigma * epsilon, epsilon ~ N(0, I): random, yet differentiable in mean and sigma."""
    z_mean, z_log_var = args
    batch = K.shape(z_mean)[0]
    dim = K.int_shape(z_mean)[1]
    epsilon = K.random_normal(shape=(batch, dim))
    return z_mean + K.exp(0.5 * z_log_var) * epsilon


(x_train, y_train), (x_test, y_test) = mnist.load_data()
image_size = x_train.shape[1]
original_dim = image_size * image_size
x_train = np.reshape(x_train, [-1, original_dim]).astype('float32') / 255
x_test = np.reshape(x_test, [-1, original_dim]).astype('float32') / 255

input_shape = (original_dim,)
intermediate_dim = 512
batch_size = 128
latent_dim = 2
epochs = 50

# Encoder: image -> (z_mean, z_log_var, z).
inputs = Input(shape=input_shape, name='encoder_input')
x = Dense(intermediate_dim, activation='relu')(inputs)
z_mean = Dense(latent_dim, name='z_mean')(x)
z_log_var = Dense(latent_dim, name='z_log_var')(x)
z = Lambda(sampling, output_shape=(latent_dim,), name='z')([z_mean, z_log_var])
encoder = Model(inputs, [z_mean, z_log_var, z], name='encoder')
encoder.summary()

# Decoder: latent point -> image.
latent_inputs = Input(shape=(latent_dim,), name='z_sampling')
x = Dense(intermediate_dim, activation='relu')(latent_inputs)
outputs = Dense(original_dim, activation='sigmoid')(x)
decoder = Model(latent_inputs, outputs, name='decoder')
decoder.summary()

outputs = decoder(encoder(inputs)[2])
vae = Model(inputs, outputs, name='vae_mlp')

reconstruction_loss = binary_crossentropy(inputs, outputs) * original_dim
kl_loss = 1 + z_log_var - K.square(z_mean) - K.exp(z_log_var)
kl_loss = K.sum(kl_loss, axis=-1) * -0.5
vae_loss = K.mean(reconstruction_loss + kl_loss)
vae.add_loss(vae_loss)
vae.compile(optimizer='adam')
vae.summary()

history = vae.fit(x_train, epochs=epochs, batch_size=batch_size, validation_data=(x_test, None))
print('Final loss:', history.history['loss'][-1])

# Where the test digits land in the 2D latent space.
z_test, _, _ = encoder.predict(x_test, batch_size=batch_size)
for digit in range(10):
    centre = z_test[y_test == digit].mean(axis=0)
    print('digit %d: mean latent point (%.2f, %.2f)' % (digit, centre[0], centre[1]))

# Decode a small grid of latent points into images.
grid = np.array([[xi, yi] for yi in np.linspace(-2, 2, 4) for xi in np.linspace(-2, 2, 4)])
decoded = decoder.predict(grid)
print('Decoded grid:', decoded.reshape(-1, image_size, image_size).shape)
