"""fastText-style IMDB classifier: averaged embeddings of words and of their n-grams.

With `ngram_range = 2`, every bigram seen in training gets its own index above `max_features` and
is appended to the review, so the model sees local word order at almost no cost.
"""
from __future__ import print_function

import numpy as np

from keras.preprocessing import sequence
from keras.models import Sequential
from keras.layers import Dense
from keras.layers import Embedding
from keras.layers import GlobalAveragePooling1D
from keras.datasets import imdb

ngram_range = 2
max_features = 20000
maxlen = 400
batch_size = 32
embedding_dims = 50
epochs = 5


def ngrams_of(tokens, n):
    """The set of n-grams (as tuples) of a token list, for one value of n."""
    return set(zip(*[tokens[i:] for i in range(n)]))


def append_ngrams(sequences, ngram_to_index, ngram_range=2):
    """Each sequence followed by the indices of its known n-grams (2..ngram_range), in order."""
    augmented = []
    for tokens in sequences:
        extended = list(tokens)
        for n in range(2, ngram_range + 1):
            for start in range(len(tokens) - n + 1):
                index = ngram_to_index.get(tuple(tokens[start:start + n]))
                if index is not None:
                    extended.append(index)
        augmented.append(extended)
    return augmented


print('Loading data...')
(x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=max_features)
print(len(x_train), 'train sequences')
print(len(x_test), 'test sequences')
print('Average train sequence length: {}'.format(np.mean(list(map(len, x_train)), dtype=int)))

if ngram_range > 1:
    print('Adding {}-gram features'.format(ngram_range))
    seen = set()
    for tokens in x_train:
        for n in range(2, ngram_range + 1):
            seen.update(ngrams_of(list(tokens), n))
    # New n-gram ids start right after the word vocabulary.
    ngram_to_index = {g: i + max_features + 1 for i, g in enumerate(sorted(seen))}
    max_features = max(ngram_to_index.values()) + 1

    x_train = append_ngrams(x_train, ngram_to_index, ngram_range)
    x_test = append_ngrams(x_test, ngram_to_index, ngram_range)
    print('Average train sequence length: {}'.format(np.mean(list(map(len, x_train)), dtype=int)))

print('Pad sequences (samples x time)')
x_train = sequence.pad_sequences(x_train, maxlen=maxlen)
x_test = sequence.pad_sequences(x_test, maxlen=maxlen)
print('x_train shape:', x_train.shape)

print('Build model...')
model = Sequential()
model.add(Embedding(max_features, embedding_dims, input_length=maxlen))
model.add(GlobalAveragePooling1D())
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, validation_data=(x_test, y_test))
score, acc = model.evaluate(x_test, y_test, verbose=0)
print('Test accuracy:', acc)
