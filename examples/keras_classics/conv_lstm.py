"""Next-frame prediction with stacked ConvLSTM2D layers on generated movies of moving squares.

Each movie holds a few squares drifting in straight lines; the network sees frames 0..n-1 and is
trained to output frames 1..n. Frames are small (20x20) so that the example runs on a CPU.
"""
from __future__ import print_function

import numpy as np
from keras.models import Sequential
from keras.layers.convolutional import Conv3D
from keras.layers.convolutional_recurrent import ConvLSTM2D
from keras.layers.normalization import BatchNormalization

row = 20
col = 20
n_frames = 8


def generate_movies(n_samples=100, n_frames=8):
    """Movies of 1-3 squares moving across a (row, col) canvas, drawn on a larger one then cropped
    so squares can enter and leave the frame; targets are the same movies one frame later."""
    big = row * 2
    noisy_movies = np.zeros((n_samples, n_frames, big, big, 1), dtype=np.float64)
    shifted_movies = np.zeros((n_samples, n_frames, big, big, 1), dtype=np.float64)
    for i in range(n_samples):
        for _ in range(np.random.randint(1, 4)):
            xstart = np.random.randint(row // 2, big - row // 2)
            ystart = np.random.randint(col // 2, big - col // 2)
            directionx = np.random.randint(0, 3) - 1
            directiony = np.random.randint(0, 3) - 1
            w = np.random.randint(2, 4)  # half the square's side
            for t in range(n_frames):
                x_shift = xstart + directionx * t
                y_shift = ystart + directiony * t
                noisy_movies[i, t, x_shift - w: x_shift + w, y_shift - w: y_shift + w, 0] += 1
                # Noise on the inputs makes the network robust to small perturbations.
                if np.random.randint(0, 2):
                    noise_f = (-1) ** np.random.randint(0, 2)
                    noisy_movies[i, t, x_shift - w - 1: x_shift + w + 1,
                                 y_shift - w - 1: y_shift + w + 1, 0] += noise_f * 0.1
                x_shift = xstart + directionx * (t + 1)
                y_shift = ystart + directiony * (t + 1)
                shifted_movies[i, t, x_shift - w: x_shift + w, y_shift - w: y_shift + w, 0] += 1
    lo, hi = row // 2, row // 2 + row
    noisy_movies = noisy_movies[:, :, lo:hi, lo:hi, :]
    shifted_movies = shifted_movies[:, :, lo:hi, lo:hi, :]
    noisy_movies[noisy_movies >= 1] = 1
    shifted_movies[shifted_movies >= 1] = 1
    return noisy_movies, shifted_movies


seq = Sequential()
seq.add(ConvLSTM2D(filters=8, kernel_size=(3, 3), input_shape=(None, row, col, 1), padding='same',
                   return_sequences=True))
seq.add(BatchNormalization())
seq.add(ConvLSTM2D(filters=8, kernel_size=(3, 3), padding='same', return_sequences=True))
seq.add(BatchNormalization())
seq.add(Conv3D(filters=1, kernel_size=(3, 3, 3), activation='sigmoid', padding='same',
               data_format='channels_last'))
seq.compile(loss='binary_crossentropy', optimizer='adadelta')
seq.summary()

np.random.seed(7)
noisy_movies, shifted_movies = generate_movies(n_samples=120, n_frames=n_frames)
seq.fit(noisy_movies[:100], shifted_movies[:100], batch_size=10, epochs=300, validation_split=0.05)

# Feed the first half of an unseen movie, then let the network continue it on its own predictions.
which = 110
track = noisy_movies[which][:n_frames // 2, ::, ::, ::]
for j in range(n_frames // 2):
    new_pos = seq.predict(track[np.newaxis, ::, ::, ::, ::])
    new = new_pos[::, -1, ::, ::, ::]
    track = np.concatenate((track, new), axis=0)
error = np.mean((track[n_frames // 2:] - shifted_movies[which][n_frames // 2 - 1: n_frames - 1]) ** 2)
print('Predicted frames:', track.shape[0] - n_frames // 2)
print('Mean squared error of the continued frames:', float(error))
