"""Question answering on bAbI-style stories with two recurrent encoders.

The story is embedded word by word; the question is summarised by an LSTM and added to every story
step; a second LSTM reads the result and a softmax over the vocabulary gives the one-word answer.
The stories come from `babi_data.py` (generated, bAbI's text format).
"""
from __future__ import print_function

import re
from functools import reduce

import numpy as np
from keras import layers
from keras.layers import recurrent
from keras.models import Model
from keras.preprocessing.sequence import pad_sequences

from babi_data import babi_lines


def tokenize(sent):
    """Words and punctuation: 'Bob dropped the apple. Where is the apple?' -> [..., '.', ..., '?']."""
    return [x.strip() for x in re.split(r'(\W+)', sent) if x.strip()]


def parse_stories(lines, only_supporting=False):
    """bAbI lines -> (story tokens, question tokens, answer) triples."""
    data = []
    story = []
    for line in lines:
        nid, line = line.split(' ', 1)
        if int(nid) == 1:
            story = []
        if '\t' in line:
            q, a, supporting = line.split('\t')
            q = tokenize(q)
            if only_supporting:
                substory = [story[int(i) - 1] for i in supporting.split()]
            else:
                substory = [x for x in story if x]
            data.append((substory, q, a))
            story.append('')
        else:
            story.append(tokenize(line))
    return [(reduce(lambda x, y: x + y, s), q, a) for s, q, a in data]


def vectorize_stories(data, word_idx, story_maxlen, query_maxlen):
    xs, xqs, ys = [], [], []
    for story, query, answer in data:
        xs.append([word_idx[w] for w in story])
        xqs.append([word_idx[w] for w in query])
        y = np.zeros(len(word_idx) + 1)  # index 0 is reserved for padding
        y[word_idx[answer]] = 1
        ys.append(y)
    return pad_sequences(xs, maxlen=story_maxlen), pad_sequences(xqs, maxlen=query_maxlen), np.array(ys)


RNN = recurrent.LSTM
EMBED_HIDDEN_SIZE = 50
SENT_HIDDEN_SIZE = 100
QUERY_HIDDEN_SIZE = 100
BATCH_SIZE = 32
EPOCHS = 20
print('RNN / Embed / Sent / Query = {}, {}, {}, {}'.format(RNN, EMBED_HIDDEN_SIZE, SENT_HIDDEN_SIZE,
                                                           QUERY_HIDDEN_SIZE))

train = parse_stories(babi_lines(1000, seed=1))
test = parse_stories(babi_lines(200, seed=2))

vocab = set()
for story, q, answer in train + test:
    vocab |= set(story + q + [answer])
vocab = sorted(vocab)
vocab_size = len(vocab) + 1
word_idx = dict((c, i + 1) for i, c in enumerate(vocab))
story_maxlen = max(map(len, (x for x, _, _ in train + test)))
query_maxlen = max(map(len, (x for _, x, _ in train + test)))

x, xq, y = vectorize_stories(train, word_idx, story_maxlen, query_maxlen)
tx, txq, ty = vectorize_stories(test, word_idx, story_maxlen, query_maxlen)

print('vocab = {}'.format(vocab))
print('x.shape = {}'.format(x.shape))
print('xq.shape = {}'.format(xq.shape))
print('y.shape = {}'.format(y.shape))
print('story_maxlen, query_maxlen = {}, {}'.format(story_maxlen, query_maxlen))

print('Build model...')
sentence = layers.Input(shape=(story_maxlen,), dtype='int32')
encoded_sentence = layers.Embedding(vocab_size, EMBED_HIDDEN_SIZE)(sentence)
encoded_sentence = layers.Dropout(0.3)(encoded_sentence)

question = layers.Input(shape=(query_maxlen,), dtype='int32')
encoded_question = layers.Embedding(vocab_size, EMBED_HIDDEN_SIZE)(question)
encoded_question = layers.Dropout(0.3)(encoded_question)
encoded_question = RNN(EMBED_HIDDEN_SIZE)(encoded_question)
encoded_question = layers.RepeatVector(story_maxlen)(encoded_question)

merged = layers.add([encoded_sentence, encoded_question])
merged = RNN(EMBED_HIDDEN_SIZE)(merged)
merged = layers.Dropout(0.3)(merged)
preds = layers.Dense(vocab_size, activation='softmax')(merged)

model = Model([sentence, question], preds)
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])

print('Training')
model.fit([x, xq], y, batch_size=BATCH_SIZE, epochs=EPOCHS, validation_split=0.05)
loss, acc = model.evaluate([tx, txq], ty, batch_size=BATCH_SIZE)
print('Test loss / test accuracy = {:.4f} / {:.4f}'.format(loss, acc))
