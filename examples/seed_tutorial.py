"""The seed tutorial (a 2018 Japanese Keras 2 tutorial), its code in order, unmodified.

Run it on PyTorch with:

    python -m kerasish examples/seed_tutorial.py          # the whole tutorial
    python -m kerasish examples/seed_tutorial.py --quick  # fewer epochs (what the tests run)

`python -m kerasish` resolves `import keras` / `from keras.x import y` to kerasish, so the
snippets below are the tutorial's own lines. Everything runs offline: `mnist.load_data()` uses the
Keras cache when present and falls back to the 5,000-digit sample bundled with kerasish.
"""

import sys

QUICK = "--quick" in sys.argv
EPOCHS = 2 if QUICK else 10

print("== Sequentialモデルの作成 (building a Sequential model) ==")
from keras.models import Sequential
from keras.layers import Dense, Activation

model = Sequential([
    Dense(32, input_shape=(784,)),
    Activation('relu'),
    Dense(10),
    Activation('softmax'),
])

# or

model = Sequential()
model.add(Dense(32, input_dim=784))
model.add(Activation('relu'))

model = Sequential()
model.add(Dense(32, input_shape=(784,)))

model = Sequential()
model.add(Dense(32, input_dim=784))
model.summary()

print("== コンパイル (compile) ==")
# マルチクラス分類問題の場合
model.compile(optimizer='rmsprop',
              loss='categorical_crossentropy',
              metrics=['accuracy'])

# 2値分類問題の場合
model.compile(optimizer='rmsprop',
              loss='binary_crossentropy',
              metrics=['accuracy'])

# 平均二乗誤差を最小化する回帰問題の場合
model.compile(optimizer='rmsprop',
              loss='mse')

# 独自定義の評価関数を定義
import keras.backend as K

def mean_pred(y_true, y_pred):
    return K.mean(y_pred)

model.compile(optimizer='rmsprop',
              loss='binary_crossentropy',
              metrics=['accuracy', mean_pred])

from keras import optimizers

sgd = optimizers.SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)
model.compile(loss='mean_squared_error', optimizer=sgd)

print("== 学習 (training) ==")
import keras

model = Sequential()
model.add(Dense(32, activation='relu', input_dim=100))
model.add(Dense(10, activation='softmax'))
model.compile(optimizer='rmsprop',
              loss='categorical_crossentropy',
              metrics=['accuracy'])

# ダミーデータ作成
import numpy as np
data = np.random.random((1000, 100))
labels = np.random.randint(10, size=(1000, 1))

# ラベルデータをカテゴリの1-hotベクトルにエンコードする
one_hot_labels = keras.utils.to_categorical(labels, num_classes=10)

# 各イテレーションのバッチサイズを32で学習を行なう
model.fit(data, one_hot_labels, epochs=EPOCHS, batch_size=32)

# verbose: 0 (silent), 1 (progress bar), 2 (one line per epoch); validation_data: a tuple
for verbose in (0, 1, 2):
    history = model.fit(data, one_hot_labels, epochs=2, batch_size=32, verbose=verbose,
                        validation_data=(data[:100], one_hot_labels[:100]))
print("history keys:", sorted(history.history))

# The same data with the custom metric, as the compile section describes.
model.compile(optimizer='rmsprop', loss='binary_crossentropy', metrics=['accuracy', mean_pred])
history = model.fit(data, one_hot_labels, epochs=1, batch_size=32, verbose=2)
print("with mean_pred:", sorted(history.history))

model.compile(loss='mean_squared_error', optimizer=sgd)
model.fit(data, one_hot_labels, epochs=1, batch_size=32, verbose=2)
print("SGD(lr=0.01, decay=1e-6) learning rate after", model.optimizer.iterations.numpy(),
      "steps:", 0.01 / (1 + 1e-6 * int(model.optimizer.iterations.numpy())))

print("== MNIST Training Tutorial ==")
from keras.datasets import mnist

# jupyter notebookでノート上にグラフを書くためのコード
# %matplotlib inline   (a notebook magic: outside a notebook the figure is saved to a file)

# mnistのデータを読み込む
(x_train, y_train), (x_test, y_test) = mnist.load_data()

# 読み込んだデータを画像として表示
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
    print("(matplotlib is not installed: skipping the digit plot)")
if plt is not None:
    for i in range(9):
        plt.subplot(3,3,i+1)
        plt.imshow(x_train[i], cmap='gray')
        plt.axis('off')
        plt.title("class {}".format(y_train[i]))
    plt.savefig("mnist_digits.png")

img_rows, img_cols = 28, 28
nb_classes = 10

# データの前処理

# データを行列に成型する
X_train = x_train.reshape(x_train.shape[0], img_rows, img_cols, 1)
X_test = x_test.reshape(x_test.shape[0], img_rows, img_cols, 1)

# データの型をfloat32に
X_train = X_train.astype('float32')
X_test = X_test.astype('float32')

# データの正規化
X_train /= 255
X_test /= 255

# number of convolutional filters to use
nb_filters = 32
# size of pooling area for max pooling
nb_pool = 2
# convolution kernel size
nb_conv = 3

print("== CNN ==")
from keras.layers import Convolution2D, MaxPooling2D, Dropout, Flatten
from keras.utils import np_utils

Y_train = np_utils.to_categorical(y_train, nb_classes)
Y_test = np_utils.to_categorical(y_test, nb_classes)
if QUICK:
    X_train, Y_train = X_train[:2000], Y_train[:2000]

model = Sequential()
model.add(Convolution2D(nb_filters, nb_conv, nb_conv,
                        border_mode='valid',
                        input_shape=(img_rows, img_cols, 1)))
model.add(Activation('relu'))
model.add(Convolution2D(nb_filters, nb_conv, nb_conv))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(nb_pool, nb_pool)))
model.add(Dropout(0.25))
model.add(Flatten())
model.add(Dense(128))
model.add(Activation('relu'))
model.add(Dropout(0.5))
model.add(Dense(nb_classes))
model.add(Activation('softmax'))

model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(X_train, Y_train, batch_size=128, nb_epoch=2 if QUICK else 6, verbose=1,
          validation_data=(X_test, Y_test))
score = model.evaluate(X_test, Y_test, verbose=0)
print('Test score:', score[0])
print('Test accuracy:', score[1])

print("== RNN ==")
# The tutorial names RNNs (再帰型ニューラルネットワーク): a small LSTM on a toy sequence task.
from keras.layers import LSTM

seq = np.random.random((512, 20, 8)).astype('float32')
target = (seq[:, :, 0].sum(axis=1) > 10).astype('float32')
model = Sequential()
model.add(LSTM(32, input_shape=(20, 8)))
model.add(Dense(1, activation='sigmoid'))
model.compile(optimizer='rmsprop', loss='binary_crossentropy', metrics=['accuracy'])
model.fit(seq, target, epochs=EPOCHS, batch_size=32, verbose=2)
