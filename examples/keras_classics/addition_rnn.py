"""Learning to add: a sequence-to-sequence LSTM reads "535+61" as characters and writes "596".

The encoder LSTM's final state is repeated once per output character (`RepeatVector`), a decoder
LSTM unrolls it, and a `TimeDistributed` softmax picks each answer character. Questions are reversed,
which shortens the path between the digits that matter and helps the network learn.
"""
from __future__ import print_function

import numpy as np
from keras.models import Sequential
from keras import layers

TRAINING_SIZE = 4000
DIGITS = 3
REVERSE = True
MAXLEN = DIGITS + 1 + DIGITS  # "123+456"
ITERATIONS = 3


class CharacterTable(object):
    """One-hot encodes strings over a fixed character set, and decodes probabilities back."""

    def __init__(self, chars):
        self.chars = sorted(set(chars))
        self.char_indices = dict((c, i) for i, c in enumerate(self.chars))
        self.indices_char = dict((i, c) for i, c in enumerate(self.chars))

    def encode(self, text, num_rows):
        x = np.zeros((num_rows, len(self.chars)))
        for i, c in enumerate(text):
            x[i, self.char_indices[c]] = 1
        return x

    def decode(self, x, calc_argmax=True):
        if calc_argmax:
            x = x.argmax(axis=-1)
        return ''.join(self.indices_char[i] for i in x)


chars = '0123456789+ '
ctable = CharacterTable(chars)

print('Generating data...')
rng = np.random.RandomState(0)
questions, expected, seen = [], [], set()
while len(questions) < TRAINING_SIZE:
    a, b = (int(''.join(rng.choice(list('0123456789'), size=rng.randint(1, DIGITS + 1))))
            for _ in range(2))
    key = tuple(sorted((a, b)))
    if key in seen:  # a+b and b+a count as the same question
        continue
    seen.add(key)
    query = '{}+{}'.format(a, b).ljust(MAXLEN)
    questions.append(query[::-1] if REVERSE else query)
    expected.append(str(a + b).ljust(DIGITS + 1))
print('Total addition questions:', len(questions))

print('Vectorization...')
x = np.zeros((len(questions), MAXLEN, len(chars)), dtype=np.bool_)
y = np.zeros((len(questions), DIGITS + 1, len(chars)), dtype=np.bool_)
for i, sentence in enumerate(questions):
    x[i] = ctable.encode(sentence, MAXLEN)
for i, sentence in enumerate(expected):
    y[i] = ctable.encode(sentence, DIGITS + 1)

split_at = len(x) - len(x) // 10
(x_train, x_val), (y_train, y_val) = (x[:split_at], x[split_at:]), (y[:split_at], y[split_at:])
print('Training data:', x_train.shape, y_train.shape)
print('Validation data:', x_val.shape, y_val.shape)

RNN = layers.LSTM
HIDDEN_SIZE = 128
BATCH_SIZE = 128

print('Build model...')
model = Sequential()
model.add(RNN(HIDDEN_SIZE, input_shape=(MAXLEN, len(chars))))
model.add(layers.RepeatVector(DIGITS + 1))
model.add(RNN(HIDDEN_SIZE, return_sequences=True))
model.add(layers.TimeDistributed(layers.Dense(len(chars), activation='softmax')))
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
model.summary()

for iteration in range(1, ITERATIONS + 1):
    print()
    print('-' * 50)
    print('Iteration', iteration)
    model.fit(x_train, y_train, batch_size=BATCH_SIZE, epochs=1, validation_data=(x_val, y_val))
    # Show a few answers from the validation set.
    for i in range(5):
        ind = rng.randint(0, len(x_val))
        rowx, rowy = x_val[np.array([ind])], y_val[np.array([ind])]
        preds = model.predict_classes(rowx, verbose=0)
        q = ctable.decode(rowx[0])
        correct = ctable.decode(rowy[0])
        guess = ctable.decode(preds[0], calc_argmax=False)
        print('Q', q[::-1] if REVERSE else q, end=' ')
        print('T', correct, end=' ')
        print('ok' if correct == guess else '--', guess)

loss, acc = model.evaluate(x_val, y_val, verbose=0)
print('Validation character accuracy:', acc)
