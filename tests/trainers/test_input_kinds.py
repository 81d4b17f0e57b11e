"""Every kind of input to fit/evaluate/predict, checked against array inputs and real Keras 3."""

import warnings

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers
from tests.conftest import assert_close

N, F, C, BS = 48, 5, 3, 16


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(N, F))  # float64: becomes float32 as in Keras
    y = rng.integers(0, C, size=(N,))  # int64 sparse labels stay integers
    sw = rng.uniform(0.2, 2.0, size=(N,)).astype("float32")
    return x, y, sw


def _ours(weights=None):
    model = kerasish.Sequential([layers.Dense(4, activation="tanh"), layers.Dense(C, activation="softmax")])
    model(torch.zeros(1, F))
    if weights is not None:
        model.set_weights(weights)
    model.compile(kerasish.optimizers.SGD(0.1), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _theirs(keras, weights):
    model = keras.Sequential([keras.layers.Input((F,)), keras.layers.Dense(4, activation="tanh"),
                              keras.layers.Dense(C, activation="softmax")])
    model.set_weights(weights)
    model.compile(keras.optimizers.SGD(0.1), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _batches(x, y, sw=None):
    for i in range(0, len(x), BS):
        yield (x[i:i + BS], y[i:i + BS]) if sw is None else (x[i:i + BS], y[i:i + BS], sw[i:i + BS])


class _Seq(kerasish.utils.PyDataset):
    def __init__(self, x, y, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.seen, self.epoch_ends = x, y, [], 0

    def __len__(self):
        return len(self.x) // BS

    def __getitem__(self, i):
        self.seen.append(i)
        return self.x[i * BS:(i + 1) * BS], self.y[i * BS:(i + 1) * BS]

    def on_epoch_end(self):
        self.epoch_ends += 1


# ---------------------------------------------------------------- parity with Keras 3
@pytest.mark.parametrize("weighting", ["none", "sample_weight", "class_weight"])
def test_fit_and_evaluate_match_keras(keras, data, weighting):
    x, y, sw = data
    ours = _ours()
    theirs = _theirs(keras, ours.get_weights())
    kwargs = {"sample_weight": dict(sample_weight=sw), "class_weight": dict(class_weight={0: 0.5, 1: 2.0, 2: 1.0}),
              "none": {}}[weighting]
    eval_kwargs = {"sample_weight": sw} if weighting == "sample_weight" else {}
    assert_close(ours.evaluate(x, y, batch_size=BS, verbose=0, **eval_kwargs),
                 theirs.evaluate(x, y, batch_size=BS, verbose=0, **eval_kwargs), rtol=1e-5)
    h_ours = ours.fit(x, y, batch_size=BS, epochs=1, shuffle=False, verbose=0, **kwargs)
    h_theirs = theirs.fit(x, y, batch_size=BS, epochs=1, shuffle=False, verbose=0, **kwargs)
    assert_close(h_ours.history["loss"], h_theirs.history["loss"], rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_temporal_sample_weights_match_keras(keras):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(8, 6, F)).astype("float32")
    y = rng.integers(0, C, size=(8, 6))
    sw = rng.uniform(0, 1, size=(8, 6)).astype("float32")
    ours = kerasish.Sequential([layers.Dense(C, activation="softmax")])
    ours(torch.zeros(1, 6, F))
    ours.compile("sgd", "sparse_categorical_crossentropy")
    theirs = keras.Sequential([keras.layers.Input((6, F)), keras.layers.Dense(C, activation="softmax")])
    theirs.set_weights(ours.get_weights())
    theirs.compile("sgd", "sparse_categorical_crossentropy")
    assert_close(ours.evaluate(x, y, sample_weight=sw, verbose=0),
                 theirs.evaluate(x, y, sample_weight=sw, verbose=0), rtol=1e-5)


def test_generator_with_sample_weights_matches_keras(keras, data):
    x, y, sw = data
    ours = _ours()
    theirs = _theirs(keras, ours.get_weights())
    h_ours = ours.fit(_batches(x, y, sw), steps_per_epoch=N // BS, epochs=1, verbose=0)
    h_theirs = theirs.fit(x, y, sample_weight=sw, batch_size=BS, epochs=1, shuffle=False, verbose=0)
    assert_close(h_ours.history["loss"], h_theirs.history["loss"], rtol=1e-5)


# ---------------------------------------------------------------- each input kind = arrays
def _reference(data, epochs=1):
    x, y, _ = data
    model = _ours()
    start = [w.copy() for w in model.get_weights()]
    history = model.fit(x, y, batch_size=BS, epochs=epochs, shuffle=False, verbose=0)
    return start, history.history["loss"], model.get_weights()


def _same_as_reference(model, history, reference):
    _, losses, weights = reference
    assert_close(history.history["loss"], losses, rtol=1e-6)
    for a, b in zip(model.get_weights(), weights):
        assert_close(a, b, rtol=1e-6)


def test_generator_with_steps_per_epoch_over_epochs(data):
    x, y, _ = data
    reference = _reference(data, epochs=2)
    model = _ours(reference[0])

    def endless():
        while True:
            yield from _batches(x, y)

    history = model.fit(endless(), steps_per_epoch=N // BS, epochs=2, verbose=0, batch_size=None)
    _same_as_reference(model, history, reference)
    assert model.evaluate(endless(), steps=2, verbose=0)[0] > 0
    assert model.predict(endless(), steps=2, verbose=0).shape == (2 * BS, C)


def test_generator_without_steps_runs_until_exhausted(data):
    x, y, _ = data
    model = _ours()
    seen = []
    cb = kerasish.callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: seen.append(b),
                                           on_train_begin=lambda logs: seen.append(cb.params["steps"]))
    model.fit(_batches(x, y), epochs=1, verbose=0, callbacks=[cb])
    assert seen == [None, 0, 1, 2]


def test_sequence_in_order_and_shuffled(data):
    x, y, _ = data
    reference = _reference(data)
    model = _ours(reference[0])
    seq = _Seq(x, y)
    _same_as_reference(model, model.fit(seq, shuffle=False, epochs=1, verbose=0), reference)
    assert seq.seen == [0, 1, 2] and seq.epoch_ends == 1
    seq = _Seq(x, y)
    _ours().fit(seq, shuffle=True, epochs=6, verbose=0)
    orders = [tuple(seq.seen[i:i + 3]) for i in range(0, 18, 3)]
    assert all(sorted(o) == [0, 1, 2] for o in orders) and len(set(orders)) > 1
    assert seq.epoch_ends == 6


def test_sequence_thread_workers_give_the_same_result(data):
    x, y, _ = data
    reference = _reference(data)
    model = _ours(reference[0])
    history = model.fit(_Seq(x, y, workers=3, max_queue_size=2), shuffle=False, verbose=0)
    _same_as_reference(model, history, reference)
    from kerasish.trainers import py_dataset_adapter

    py_dataset_adapter._warned_multiprocessing.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _ours().fit(_Seq(x, y), use_multiprocessing=True, workers=2, verbose=0)
        _ours().fit(_Seq(x, y), use_multiprocessing=True, workers=2, verbose=0)
    assert sum("use_multiprocessing" in str(w.message) for w in caught) == 1


def test_torch_data_loader_and_dataset(data):
    x, y, _ = data
    reference = _reference(data)
    dataset = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    model = _ours(reference[0])
    loader = torch.utils.data.DataLoader(dataset, batch_size=BS, shuffle=False)
    _same_as_reference(model, model.fit(loader, epochs=1, verbose=0), reference)
    model = _ours(reference[0])
    _same_as_reference(model, model.fit(dataset, batch_size=BS, shuffle=False, verbose=0), reference)
    assert model.predict(loader, verbose=0).shape == (N, C)


def test_torch_tensors_of_any_dtype(data):
    x, y, _ = data
    reference = _reference(data)
    model = _ours(reference[0])
    history = model.fit(torch.from_numpy(x), torch.from_numpy(y).int(), batch_size=BS, shuffle=False, verbose=0)
    _same_as_reference(model, history, reference)


class _TwoInputs(kerasish.Model):
    def __init__(self):
        super().__init__()
        self.a = layers.Dense(C)
        self.b = layers.Dense(C)

    def call(self, inputs):
        return torch.softmax(self.a(inputs["left"]) + self.b(inputs["right"]), dim=-1)


def test_dict_inputs_from_arrays_and_generators(data):
    x, y, _ = data
    xs = {"left": x[:, :2], "right": x[:, 2:]}
    model = _TwoInputs()
    model.compile(kerasish.optimizers.SGD(0.1), "sparse_categorical_crossentropy")
    model(xs)
    start = [w.copy() for w in model.get_weights()]
    h_arrays = model.fit(xs, y, batch_size=BS, shuffle=False, verbose=0)
    after_arrays = model.get_weights()
    model.set_weights(start)

    def gen():
        for i in range(0, N, BS):
            yield {k: v[i:i + BS] for k, v in xs.items()}, y[i:i + BS]

    h_gen = model.fit(gen(), verbose=0)
    assert_close(h_gen.history["loss"], h_arrays.history["loss"], rtol=1e-6)
    for a, b in zip(model.get_weights(), after_arrays):
        assert_close(a, b, rtol=1e-6)


class _OwnLoss(kerasish.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)

    def call(self, x):
        out = self.dense(x)
        self.add_loss(torch.mean(out ** 2))
        return out


def test_y_none_with_a_model_that_adds_its_own_loss(data):
    x, _, _ = data
    model = _OwnLoss()
    model.compile(kerasish.optimizers.SGD(0.1))
    history = model.fit(x, batch_size=BS, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_validation_freq_initial_epoch_and_repeating_steps(data):
    x, y, _ = data
    model = _ours()
    history = model.fit(x, y, batch_size=BS, epochs=4, initial_epoch=1, validation_data=(x, y),
                        validation_freq=2, verbose=0)
    assert history.epoch == [1, 2, 3]
    assert len(history.history["val_loss"]) == 2  # epochs 2 and 4 (1-based)
    model = _ours()
    model.fit(x, y, batch_size=BS, steps_per_epoch=5, epochs=2, verbose=0)  # 3 batches of data
    assert model.optimizer._iterations == 10


def test_validation_split_takes_the_last_fraction(data):
    x, y, _ = data
    model = _ours()
    history = model.fit(x, y, batch_size=BS, validation_split=0.25, epochs=1, shuffle=False, verbose=0)
    probe = _ours(model.get_weights())
    assert_close(history.history["val_loss"][0], probe.evaluate(x[36:], y[36:], verbose=0)[0], rtol=1e-6)


def test_generator_rejects_separate_targets(data):
    x, y, _ = data
    with pytest.raises(ValueError, match="Received: y="):
        _ours().fit(_batches(x, y), y, verbose=0)
