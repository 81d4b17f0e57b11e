"""An end-to-end memory network on bAbI-style stories.

Each story word is embedded twice: as memory keys, matched against the embedded question by a dot
product and a softmax (where to look), and as memory values, added to that match (what is found).
An LSTM reads the response next to the question and answers with one word. The stories come from
`babi_data.py` (generated, bAbI's text format).
"""
from __future__ import print_function

import re
from functools import reduce

import numpy as np
from keras.models import Sequential, Model
from keras.layers.embeddings import Embedding
from keras.layers import Input, Activation, Dense, Permute, Dropout
from keras.layers import add, dot, concatenate
from keras.layers import LSTM
from keras.preprocessing.sequence import pad_sequences

from babi_data import babi_lines


def tokenize(sent):
    return [x.strip() for x in re.split(r'(\W+)', sent) if x.strip()]


def parse_stories(lines):
    """bAbI lines -> (story tokens, question tokens, answer) triples; the story is every fact so far."""
    data, story = [], []
    for line in lines:
        nid, line = line.split(' ', 1)
        if int(nid) == 1:
            story = []
        if '\t' in line:
            q, a, _ = line.split('\t')
            data.append(([x for x in story if x], tokenize(q), a))
            story.append('')
        else:
            story.append(tokenize(line))
    return [(reduce(lambda x, y: x + y, s), q, a) for s, q, a in data]


def vectorize_stories(data):
    inputs, queries, answers = [], [], []
    for story, query, answer in data:
        inputs.append([word_idx[w] for w in story])
        queries.append([word_idx[w] for w in query])
        answers.append(word_idx[answer])
    return (pad_sequences(inputs, maxlen=story_maxlen), pad_sequences(queries, maxlen=query_maxlen),
            np.array(answers))


train_stories = parse_stories(babi_lines(1000, seed=1))
test_stories = parse_stories(babi_lines(200, seed=2))

vocab = set()
for story, q, answer in train_stories + test_stories:
    vocab |= set(story + q + [answer])
vocab = sorted(vocab)
vocab_size = len(vocab) + 1  # 0 is padding
story_maxlen = max(map(len, (x for x, _, _ in train_stories + test_stories)))
query_maxlen = max(map(len, (x for _, x, _ in train_stories + test_stories)))

print('-')
print('Vocab size:', vocab_size, 'unique words')
print('Story max length:', story_maxlen, 'words')
print('Query max length:', query_maxlen, 'words')
print('Number of training stories:', len(train_stories))
print('Number of test stories:', len(test_stories))

word_idx = dict((c, i + 1) for i, c in enumerate(vocab))
inputs_train, queries_train, answers_train = vectorize_stories(train_stories)
inputs_test, queries_test, answers_test = vectorize_stories(test_stories)
print('inputs_train shape:', inputs_train.shape)
print('queries_train shape:', queries_train.shape)

input_sequence = Input((story_maxlen,))
question = Input((query_maxlen,))

# Memory keys: (samples, story_maxlen, 64).
input_encoder_m = Sequential()
input_encoder_m.add(Embedding(input_dim=vocab_size, output_dim=64))
input_encoder_m.add(Dropout(0.3))

# Memory values: (samples, story_maxlen, query_maxlen).
input_encoder_c = Sequential()
input_encoder_c.add(Embedding(input_dim=vocab_size, output_dim=query_maxlen))
input_encoder_c.add(Dropout(0.3))

# The question: (samples, query_maxlen, 64).
question_encoder = Sequential()
question_encoder.add(Embedding(input_dim=vocab_size, output_dim=64, input_length=query_maxlen))
question_encoder.add(Dropout(0.3))

input_encoded_m = input_encoder_m(input_sequence)
input_encoded_c = input_encoder_c(input_sequence)
question_encoded = question_encoder(question)

# Attention of each question word over the story words: (samples, story_maxlen, query_maxlen).
match = dot([input_encoded_m, question_encoded], axes=(2, 2))
match = Activation('softmax')(match)

response = add([match, input_encoded_c])
response = Permute((2, 1))(response)  # (samples, query_maxlen, story_maxlen)

answer = concatenate([response, question_encoded])
answer = LSTM(32)(answer)
answer = Dropout(0.3)(answer)
answer = Dense(vocab_size)(answer)
answer = Activation('softmax')(answer)

model = Model([input_sequence, question], answer)
model.compile(optimizer='rmsprop', loss='sparse_categorical_crossentropy', metrics=['accuracy'])

model.fit([inputs_train, queries_train], answers_train, batch_size=32, epochs=120,
          validation_data=([inputs_test, queries_test], answers_test))
loss, acc = model.evaluate([inputs_test, queries_test], answers_test, verbose=0)
print('Test accuracy:', acc)
