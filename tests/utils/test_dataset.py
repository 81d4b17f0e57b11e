"""`kerasish.utils.Dataset`: tf.data's methods, element structures, cardinalities, and `fit`."""

import threading

import numpy as np
import pytest
import torch

import kerasish
from kerasish.utils.dataset import AUTOTUNE, INFINITE, UNKNOWN, Dataset


def _ints(ds):
    return [int(v) for v in ds]


def test_from_tensor_slices_tuple_dict_and_strings():
    x = np.arange(10, dtype="float64").reshape(5, 2)
    y = np.array(["a", "b", "c", "d", "e"])
    first = next(iter(Dataset.from_tensor_slices((x, y))))
    assert isinstance(first[0], torch.Tensor) and first[0].dtype == torch.float64 and first[1] == "a"
    batch = next(iter(Dataset.from_tensor_slices({"x": x, "y": y}).batch(3)))
    assert list(batch) == ["x", "y"] and batch["x"].shape == (3, 2)
    assert batch["y"].numpy().tolist() == ["a", "b", "c"]
    assert _ints(Dataset.from_tensor_slices([1, 2, 3])) == [1, 2, 3]  # a list is one tensor
    with pytest.raises(ValueError, match="same size in their first dimension"):
        Dataset.from_tensor_slices((np.zeros(3), np.zeros(4)))


def test_batch_unbatch_and_cardinalities():
    ds = Dataset.range(10)
    assert [b.tolist() for b in ds.batch(4)] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert [b.tolist() for b in ds.batch(4, drop_remainder=True)] == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert int(ds.batch(4).cardinality()) == 3 and int(ds.batch(4, drop_remainder=True).cardinality()) == 2
    assert _ints(ds.batch(3).unbatch()) == list(range(10))
    assert int(ds.batch(3).unbatch().cardinality()) == UNKNOWN
    assert int(ds.filter(lambda v: v > 2).cardinality()) == UNKNOWN
    assert int(ds.repeat().cardinality()) == INFINITE and int(ds.repeat(3).cardinality()) == 30
    assert int(ds.repeat().take(7).cardinality()) == 7 and len(list(ds.repeat().take(25))) == 25
    assert int(ds.skip(4).cardinality()) == 6 and _ints(ds.skip(8)) == [8, 9]
    assert int(ds.take(-1).cardinality()) == 10 and int(ds.skip(-1).cardinality()) == 0
    assert int(ds.map(lambda v: v).shuffle(4).prefetch(AUTOTUNE).cache().cardinality()) == 10
    assert int(Dataset.zip((ds, ds.take(3))).cardinality()) == 3
    assert int(ds.concatenate(ds.take(2)).cardinality()) == 12
    assert len(ds.batch(4)) == 3
    with pytest.raises(TypeError, match="infinite"):
        len(ds.repeat())
    with pytest.raises(TypeError, match="unknown"):
        len(ds.filter(lambda v: v > 2))


def test_padded_batch_pads_to_longest_or_given_shape():
    ds = Dataset.range(1, 4).map(lambda n: torch.arange(int(n)) + 1)
    assert [b.tolist() for b in ds.padded_batch(2)] == [[[1, 0], [1, 2]], [[1, 2, 3]]]
    assert next(iter(ds.padded_batch(3, padded_shapes=[5], padding_values=-1))).tolist() == \
        [[1, -1, -1, -1, -1], [1, 2, -1, -1, -1], [1, 2, 3, -1, -1]]
    with pytest.raises(ValueError, match="different shapes"):
        next(iter(ds.batch(3)))


def test_shuffle_is_tf_buffered_seeded_and_reshuffles_per_iteration():
    ds = Dataset.range(50)
    seeded = ds.shuffle(50, seed=3)
    first, second = _ints(seeded), _ints(seeded)
    assert sorted(first) == list(range(50)) and first != second and first != list(range(50))
    assert _ints(ds.shuffle(50, seed=3)) == first  # same seed, same first order
    fixed = ds.shuffle(50, seed=3, reshuffle_each_iteration=False)
    assert _ints(fixed) == _ints(fixed)
    assert _ints(ds.shuffle(1, seed=0)) == list(range(50))
    # A buffer of k elements: output position i holds an input element below i + k.
    out = _ints(ds.shuffle(5, seed=1))
    assert all(v < i + 5 for i, v in enumerate(out)) and sorted(out) == list(range(50))
    # The batched (index) path and the element path shuffle alike.
    x = np.arange(50)
    batched = np.concatenate([b.numpy() for b in Dataset.from_tensor_slices(x).shuffle(7, seed=2).batch(8)])
    elements = [int(v) for v in Dataset.from_tensor_slices(x).shuffle(7, seed=2)]
    assert batched.tolist() == elements
    kerasish.utils.set_random_seed(4)
    a = _ints(ds.shuffle(50))
    kerasish.utils.set_random_seed(4)
    assert _ints(ds.shuffle(50)) == a  # an unseeded shuffle follows the global seed


def test_map_calling_conventions_threads_and_layers():
    x, y = np.arange(8, dtype="float32").reshape(4, 2), np.arange(4)
    ds = Dataset.from_tensor_slices((x, y))
    assert [v.tolist() for v in ds.map(lambda a, b: a.sum() + b)] == [1.0, 6.0, 11.0, 16.0]
    d = Dataset.from_tensor_slices({"a": x}).map(lambda e: {"b": e["a"] * 2})
    assert next(iter(d))["b"].tolist() == [0.0, 2.0]
    threads = set()

    def slow(v):
        threads.add(threading.current_thread().name)
        return v * 2

    assert _ints(Dataset.range(40).map(slow, num_parallel_calls=4)) == [2 * v for v in range(40)]
    assert any(name.startswith("kerasish-map") for name in threads)
    relu = kerasish.layers.Activation("relu")
    out = next(iter(Dataset.from_tensor_slices(np.array([[-1.0, 2.0]], "float32")).batch(1).map(relu)))
    assert out.tolist() == [[0.0, 2.0]] and not out.requires_grad
    assert next(iter(ds.map(lambda a, b: (np.ones(2), 3.0))))[1].dtype == torch.float32
    with pytest.raises(ValueError, match="num_parallel_calls"):
        ds.map(slow, num_parallel_calls=0)


def test_errors_in_map_reach_the_consumer_through_prefetch():
    def boom(v):
        if int(v) == 3:
            raise RuntimeError("bad element 3")
        return v

    with pytest.raises(RuntimeError, match="bad element 3"):
        list(Dataset.range(6).map(boom, num_parallel_calls=2).prefetch(2))
    it = iter(Dataset.range(1000).prefetch(4))
    assert int(next(it)) == 0
    it.close()  # stops the producer thread


def test_filter_cache_repeat_zip_enumerate_reduce_numpy():
    ds = Dataset.range(6)
    assert _ints(ds.filter(lambda v: v % 2 == 0)) == [0, 2, 4]
    noisy = ds.map(lambda v: v + torch.rand(())).cache()
    assert [float(v) for v in noisy] == [float(v) for v in noisy]
    assert _ints(ds.take(2).repeat(2)) == [0, 1, 0, 1]
    assert list(Dataset.zip(ds.take(2), ds.skip(4)).as_numpy_iterator()) == [(0, 4), (1, 5)]
    assert list(Dataset.zip({"a": ds.take(1)}).as_numpy_iterator()) == [{"a": 0}]
    assert list(ds.take(2).enumerate(5).as_numpy_iterator()) == [(5, 0), (6, 1)]
    assert int(ds.reduce(0, lambda s, v: s + v)) == 15
    assert _ints(ds.take(2).concatenate(ds.skip(5))) == [0, 1, 5]
    assert _ints(ds.take(2).flat_map(lambda v: Dataset.range(int(v) + 1))) == [0, 0, 1]
    assert int(Dataset.from_tensors(np.int32(7)).get_single_element()) == 7
    assert _ints(Dataset.from_generator(lambda: iter([1, 2]))) == [1, 2]
    assert isinstance(next(ds.as_numpy_iterator()), np.integer)
    with pytest.raises(ValueError, match="in-memory cache"):
        ds.cache("/tmp/cachefile")


def test_bad_arguments_name_themselves():
    ds = Dataset.range(3)
    for call, name in ((lambda: ds.batch(0), "batch_size"), (lambda: ds.shuffle(0), "buffer_size"),
                       (lambda: ds.take(-2), "count"), (lambda: ds.prefetch("x"), "buffer_size")):
        with pytest.raises(ValueError, match=f"`{name}`.*Received: {name}="):
            call()


def _model():
    model = kerasish.Sequential([kerasish.layers.Dense(4, activation="relu"), kerasish.layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


def test_fit_evaluate_predict_take_a_dataset():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(40, 3)).astype("float32"), rng.normal(size=(40, 1)).astype("float32")
    ds = Dataset.from_tensor_slices((x, y)).shuffle(40, seed=0).batch(8).prefetch(AUTOTUNE)
    model = _model()
    history = model.fit(ds, epochs=2, validation_data=ds, verbose=0)
    assert len(history.history["val_loss"]) == 2
    assert model.predict(ds, verbose=0).shape == (40, 1)
    plain = _model()
    plain(torch.zeros(1, 3))
    plain.set_weights(model.get_weights())
    ordered = Dataset.from_tensor_slices((x, y)).batch(8)
    assert np.isclose(model.evaluate(ordered, verbose=0), plain.evaluate(x, y, batch_size=8, verbose=0))
    model.fit(ds.repeat(), steps_per_epoch=3, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="steps_per_epoch"):
        model.fit(ds.repeat(), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="do not pass them separately"):
        model.fit(ds, y, verbose=0)


def test_fit_on_a_dataset_makes_no_per_step_host_read(monkeypatch):
    from tests.callbacks.test_no_host_sync import _count_syncs

    rng = np.random.default_rng(1)

    def run(n):
        x, y = rng.normal(size=(n, 3)).astype("float32"), rng.normal(size=(n, 1)).astype("float32")
        ds = Dataset.from_tensor_slices((x, y)).shuffle(64, seed=1).batch(4).prefetch(2)
        model = _model()
        model(torch.zeros(1, 3))
        return _count_syncs(monkeypatch, lambda: model.fit(ds, epochs=1, verbose=0),
                            [model.optimizer.learning_rate])

    assert run(40)["host"] == run(80)["host"]  # twice the steps, no more reads


def test_tensorflow_stand_in_exposes_tf_data():
    from kerasish.compat import tensorflow_stub

    data = tensorflow_stub._data_module()
    assert data.Dataset is Dataset and data.AUTOTUNE == AUTOTUNE == data.experimental.AUTOTUNE
    assert data.INFINITE_CARDINALITY == INFINITE and data.UNKNOWN_CARDINALITY == UNKNOWN
    assert int(data.experimental.cardinality(Dataset.range(3))) == 3
    with pytest.raises(AttributeError, match="not available"):
        data.TFRecordDataset  # noqa: B018


def test_pipeline_threads_use_one_intraop_thread_and_leave_the_caller_alone():
    main_threads = torch.get_num_threads()
    seen = next(iter(Dataset.range(1).map(lambda v: torch.get_num_threads(), num_parallel_calls=2)))
    from_prefetch = next(iter(Dataset.range(1).map(lambda v: torch.get_num_threads()).prefetch(1)))
    from kerasish.utils import pipeline_threads

    if pipeline_threads._setter() is not None:  # torch on libgomp (Linux builds)
        assert int(seen) == 1 and int(from_prefetch) == 1
    assert torch.get_num_threads() == main_threads
