"""Files cross between real Keras 3 and kerasish: saved by one, loaded by the other, same predictions."""

import numpy as np
import pytest

import kerasish
from tests.conftest import assert_close

# Float32 kernels differ slightly between the two libraries' op orders; weights are copied exactly.
RTOL, ATOL = 1e-5, 1e-5


def _sequential(lib):
    L = lib.layers
    return lib.Sequential([lib.Input((6,)), L.Dense(8, activation="relu"), L.Dropout(0.2),
                           L.Dense(12), L.Reshape((3, 4)), L.Flatten(), L.Activation("softmax")])


def _functional(lib):
    L = lib.layers
    a, b = lib.Input((6,), name="a"), lib.Input((4,), name="b")
    shared = L.Dense(5, activation="tanh", name="shared")
    inner = lib.Sequential([lib.Input((10,)), L.Dense(3, name="inner_dense")], name="inner")
    merged = L.Concatenate()([shared(L.Dense(5, name="pa")(a)), shared(L.Dense(5, name="pb")(b))])
    return lib.Model([a, b], inner(merged))


def _cnn(lib):
    L = lib.layers
    return lib.Sequential([lib.Input((8, 8, 2)), L.Conv2D(4, 3, padding="same", activation="relu"),
                           L.BatchNormalization(), L.MaxPooling2D(2), L.Flatten(), L.Dense(3)])


def _rnn(lib):
    L = lib.layers
    return lib.Sequential([lib.Input((5, 3)), L.LSTM(4, return_sequences=True), L.GRU(3),
                           L.Dense(2)])


BUILDERS = {"sequential": _sequential, "functional": _functional, "cnn": _cnn, "rnn": _rnn}


def _inputs(kind):
    rng = np.random.default_rng(1)
    shapes = {"sequential": [(7, 6)], "functional": [(7, 6), (7, 4)], "cnn": [(7, 8, 8, 2)],
              "rnn": [(7, 5, 3)]}[kind]
    xs = [rng.normal(size=s).astype("float32") for s in shapes]
    return xs if len(xs) > 1 else xs[0]


def _train_a_little(model, kind, lib):
    model.compile(optimizer=lib.optimizers.Adam(0.01), loss="mse")
    x = _inputs(kind)
    y = np.zeros((7,) + tuple(model.output_shape[1:]), dtype="float32")
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)


@pytest.mark.parametrize("kind", sorted(BUILDERS))
@pytest.mark.parametrize("suffix", ["keras", "h5"])
def test_keras_file_loads_here(keras, tmp_path, kind, suffix):
    source = BUILDERS[kind](keras)
    _train_a_little(source, kind, keras)  # moves BatchNormalization statistics off their init
    path = tmp_path / f"m.{suffix}"
    source.save(path)
    # Keras 3 cannot re-compile its own legacy h5 with a string loss; we can.
    loaded = kerasish.models.load_model(path)
    x = _inputs(kind)
    assert_close(loaded.predict(x, verbose=0), source.predict(x, verbose=0), RTOL, ATOL)
    assert loaded.compiled and loaded.optimizer._iterations == int(source.optimizer.iterations)
    if suffix == "keras":
        for mine, theirs in zip(loaded.optimizer.variables, source.optimizer.variables[2:]):
            assert_close(mine.numpy(), keras.ops.convert_to_numpy(theirs), rtol=0, atol=0)


@pytest.mark.parametrize("kind", sorted(BUILDERS))
@pytest.mark.parametrize("suffix", ["keras", "h5"])
def test_file_written_here_loads_in_keras(keras, tmp_path, kind, suffix):
    model = BUILDERS[kind](kerasish)
    _train_a_little(model, kind, kerasish)
    path = tmp_path / f"m.{suffix}"
    model.save(path)
    # Keras 3 cannot compile a legacy h5 training config holding a string loss (its own files too).
    loaded = keras.models.load_model(path, compile=(suffix == "keras"))
    x = _inputs(kind)
    assert_close(loaded.predict(x, verbose=0), model.predict(x, verbose=0), RTOL, ATOL)
    if suffix == "keras":
        assert int(loaded.optimizer.iterations) == model.optimizer._iterations
        theirs = [keras.ops.convert_to_numpy(v) for v in loaded.optimizer.variables]
        mine = [np.asarray(v) for v in model.optimizer._state_values()]
        assert len(theirs) == len(mine)
        for a, b in zip(theirs, mine):
            assert_close(a, b, rtol=0, atol=0)


@pytest.mark.parametrize("kind", ["functional", "cnn", "rnn"])
@pytest.mark.parametrize("filename", ["w.weights.h5", "w.h5"])
def test_weights_files_both_ways(keras, tmp_path, kind, filename):
    theirs, mine = BUILDERS[kind](keras), BUILDERS[kind](kerasish)
    x = _inputs(kind)
    if filename.endswith(".weights.h5"):
        theirs.save_weights(tmp_path / f"k_{filename}")
    else:  # Keras 3 writes legacy h5 weights only inside a whole-model h5 file
        theirs.save(tmp_path / f"k_{filename}")
    mine.load_weights(tmp_path / f"k_{filename}")
    assert_close(mine.predict(x, verbose=0), theirs.predict(x, verbose=0), RTOL, ATOL)
    fresh = BUILDERS[kind](kerasish)
    fresh.save_weights(tmp_path / f"h_{filename}")
    theirs.load_weights(tmp_path / f"h_{filename}")
    assert_close(theirs.predict(x, verbose=0), fresh.predict(x, verbose=0), RTOL, ATOL)


def test_json_crosses(keras):
    model = _functional(kerasish)
    theirs = keras.models.model_from_json(model.to_json())
    assert [layer.name for layer in theirs.layers] == [layer.name for layer in model.layers]
    back = kerasish.models.model_from_json(theirs.to_json())
    assert [type(layer).__name__ for layer in back.layers] == [type(layer).__name__ for layer in model.layers]
