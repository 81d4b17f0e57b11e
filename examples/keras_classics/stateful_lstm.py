"""A stateful LSTM learns a moving average of a noisy signal that it sees one short window at a time.

With `stateful=True` the state left by one batch is the starting state of the next, so the network
can remember more than its window; `batch_input_shape` fixes the batch size, `shuffle=False` keeps the
batches in order, and `reset_states()` starts each epoch afresh.
"""
from __future__ import print_function

import numpy as np
from keras.models import Sequential
from keras.layers import Dense, LSTM

input_len = 1000   # length of the signal
tsteps = 2         # window the network sees per sample
lahead = 1         # the target averages this many points
batch_size = 25
epochs = 5

print('*' * 33)
print('Generating data...')
np.random.seed(1)
# A slow wave plus uniform noise; the target is its moving average over `lahead` points.
t = np.arange(input_len + tsteps)
signal = 0.5 * np.sin(t / 20.0) + np.random.uniform(-0.1, 0.1, size=t.shape)
x = np.stack([signal[i: i + tsteps] for i in range(input_len)])[..., None]
y = np.array([signal[i + tsteps - lahead: i + tsteps].mean() for i in range(input_len)])[:, None]
print('Input shape:', x.shape)
print('Output shape:', y.shape)

# Whole batches only: a stateful model's batch size is fixed.
split = int(input_len * 0.8) // batch_size * batch_size
x_train, y_train = x[:split], y[:split]
x_test, y_test = x[split:], y[split:]

print('Creating Stateful Model...')
model = Sequential()
model.add(LSTM(20, batch_input_shape=(batch_size, tsteps, 1), return_sequences=False, stateful=True))
model.add(Dense(1))
model.compile(loss='mse', optimizer='adam')

print('Training')
for i in range(epochs):
    print('Epoch', i + 1, '/', epochs)
    # Each batch carries its state to the next: no shuffling, and a fresh state every epoch.
    model.fit(x_train, y_train, batch_size=batch_size, epochs=1, verbose=1,
              validation_data=(x_test, y_test), shuffle=False)
    model.reset_states()

print('Predicting')
predicted = model.predict(x_test, batch_size=batch_size)
model.reset_states()
print('Stateful LSTM test MSE:', float(np.mean((predicted - y_test) ** 2)))
