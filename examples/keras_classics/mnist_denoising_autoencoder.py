"""A convolutional denoising autoencoder: MNIST digits with added Gaussian noise go in, the clean
digits are the targets. Strided convolutions encode to a small latent vector, transposed
convolutions decode it back to an image.
"""
from __future__ import print_function

import numpy as np
from keras.layers import Activation, Dense, Input
from keras.layers import Conv2D, Flatten
from keras.layers import Reshape, Conv2DTranspose
from keras.models import Model
from keras import backend as K
from keras.datasets import mnist

np.random.seed(1337)

(x_train, _), (x_test, _) = mnist.load_data()
image_size = x_train.shape[1]
x_train = np.reshape(x_train, [-1, image_size, image_size, 1]).astype('float32') / 255
x_test = np.reshape(x_test, [-1, image_size, image_size, 1]).astype('float32') / 255

# Corrupt the images; clip so they stay valid pixel values.
noise = np.random.normal(loc=0.5, scale=0.5, size=x_train.shape)
x_train_noisy = np.clip(x_train + noise, 0., 1.)
noise = np.random.normal(loc=0.5, scale=0.5, size=x_test.shape)
x_test_noisy = np.clip(x_test + noise, 0., 1.)

input_shape = (image_size, image_size, 1)
batch_size = 128
kernel_size = 3
latent_dim = 16
layer_filters = [32, 64]

inputs = Input(shape=input_shape, name='encoder_input')
x = inputs
for filters in layer_filters:
    x = Conv2D(filters=filters, kernel_size=kernel_size, strides=2, activation='relu', padding='same')(x)
# The decoder needs this shape to undo the flattening.
shape = K.int_shape(x)
x = Flatten()(x)
latent = Dense(latent_dim, name='latent_vector')(x)
encoder = Model(inputs, latent, name='encoder')
encoder.summary()

latent_inputs = Input(shape=(latent_dim,), name='decoder_input')
x = Dense(shape[1] * shape[2] * shape[3])(latent_inputs)
x = Reshape((shape[1], shape[2], shape[3]))(x)
for filters in layer_filters[::-1]:
    x = Conv2DTranspose(filters=filters, kernel_size=kernel_size, strides=2, activation='relu',
                        padding='same')(x)
x = Conv2DTranspose(filters=1, kernel_size=kernel_size, padding='same')(x)
outputs = Activation('sigmoid', name='decoder_output')(x)
decoder = Model(latent_inputs, outputs, name='decoder')
decoder.summary()

autoencoder = Model(inputs, decoder(encoder(inputs)), name='autoencoder')
autoencoder.summary()
autoencoder.compile(loss='mse', optimizer='adam')
autoencoder.fit(x_train_noisy, x_train, validation_data=(x_test_noisy, x_test), epochs=30,
                batch_size=batch_size)

x_decoded = autoencoder.predict(x_test_noisy)
print('Noisy input MSE:', float(np.mean((x_test_noisy - x_test) ** 2)))
print('Denoised MSE:', float(np.mean((x_decoded - x_test) ** 2)))
