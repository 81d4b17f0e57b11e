"""Keras 3's top-level, `backend` and `utils` names that Keras 3 code reaches for."""

import threading

import numpy as np
import pytest
import torch

import kerasish

TOP_LEVEL = ["Initializer", "InputSpec", "Loss", "Metric", "Optimizer", "Regularizer", "DTypePolicy",
             "FloatDTypePolicy", "device", "name_scope", "remat", "config", "ops", "random", "tree",
             "datasets"]
UTILS = ["clear_session", "deserialize_keras_object", "serialize_keras_object",
         "get_registered_name", "get_registered_object", "get_source_inputs", "is_keras_tensor",
         "pack_x_y_sample_weight", "unpack_x_y_sample_weight", "standardize_dtype",
         "enable_interactive_logging", "disable_interactive_logging",
         "is_interactive_logging_enabled"]


def test_names_exist_where_keras_has_them(keras):
    for name in TOP_LEVEL:
        assert hasattr(keras, name) and hasattr(kerasish, name), name
    for name in UTILS:
        assert hasattr(keras.utils, name) and hasattr(kerasish.utils, name), name
    for name in ("result_type", "standardize_dtype", "is_float_dtype", "is_int_dtype"):
        assert hasattr(kerasish.backend, name)
    assert issubclass(kerasish.Loss, torch.nn.Module) or kerasish.Loss is kerasish.losses.Loss


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float64", "int8", "uint8", "int64",
                                   "bool", "complex64", int, float, "float32"])
def test_dtype_predicates_match_keras(keras, dtype):
    assert kerasish.backend.is_float_dtype(dtype) == keras.backend.is_float_dtype(dtype)
    assert kerasish.backend.is_int_dtype(dtype) == keras.backend.is_int_dtype(dtype)
    assert kerasish.backend.standardize_dtype(dtype) == keras.backend.standardize_dtype(dtype)
    for other in ("int32", "float16", "uint8", int, float, bool):
        assert kerasish.backend.result_type(dtype, other) == keras.backend.result_type(dtype, other)


@pytest.mark.parametrize("args", [((1,),), ((1,), 2), ((1,), 2, 3), (1,), ([1, 2],), ((1, 2),)])
def test_pack_unpack_match_keras(keras, args):
    assert kerasish.utils.pack_x_y_sample_weight(*args) == keras.utils.pack_x_y_sample_weight(*args)
    packed = keras.utils.pack_x_y_sample_weight(*args)
    assert kerasish.utils.unpack_x_y_sample_weight(packed) == \
        keras.utils.unpack_x_y_sample_weight(packed)


def test_get_source_inputs_and_is_keras_tensor():
    a, b = kerasish.Input((3,)), kerasish.Input((3,))
    out = kerasish.layers.Dense(2)(kerasish.layers.concatenate([a, b]))
    sources = kerasish.utils.get_source_inputs(out)
    assert len(sources) == 2 and sources[0] is a and sources[1] is b
    assert kerasish.utils.get_source_inputs(a) == [a]
    assert kerasish.utils.is_keras_tensor(out) and not kerasish.utils.is_keras_tensor(np.zeros(2))


def test_serialize_round_trip_and_registered_names():
    layer = kerasish.layers.Dense(3, activation="relu", name="d")
    config = kerasish.utils.serialize_keras_object(layer)
    again = kerasish.utils.deserialize_keras_object(config)
    assert isinstance(again, kerasish.layers.Dense) and again.units == 3 and again.name == "d"
    assert kerasish.utils.get_registered_name(kerasish.layers.Dense) == "Dense"


def test_device_scope_is_per_thread():
    seen = {}
    inside = threading.Event()
    done = threading.Event()

    def other():
        inside.wait(30)
        seen["other"] = kerasish.backend.get_device()
        done.set()

    t = threading.Thread(target=other)
    t.start()
    with kerasish.device("meta"):
        seen["scoped"] = kerasish.backend.get_device()
        seen["tensor"] = kerasish.ops.convert.to_tensor(np.ones(2)).device
        inside.set()
        done.wait(30)
    t.join()
    assert seen["scoped"].type == "meta" and seen["tensor"].type == "meta"
    assert seen["other"].type != "meta" and kerasish.backend.get_device().type != "meta"


def test_device_names_and_errors():
    with kerasish.device("CPU:0"):
        assert kerasish.backend.get_device() == torch.device("cpu:0")
    with pytest.raises(ValueError, match="device_name"):
        with kerasish.device("tpu_but_wrong"):
            pass


def test_name_scope_nests_per_thread():
    from kerasish.backend.scopes import current_path

    with kerasish.name_scope("outer"):
        with kerasish.name_scope("inner"):
            assert current_path() == "outer/inner"
            other = []
            t = threading.Thread(target=lambda: other.append(current_path()))
            t.start()
            t.join()
            assert other == [""]
        assert current_path() == "outer"
    assert current_path() == ""
    with pytest.raises(ValueError, match="name"):
        kerasish.name_scope("a/b")


def test_remat_recomputes_and_keeps_gradients():
    w = torch.randn(4, 4, requires_grad=True)
    calls = []

    def block(x):
        calls.append(1)
        return torch.tanh(x @ w)

    x = torch.randn(2, 4)
    (g_plain,) = torch.autograd.grad(block(x).sum(), w)
    calls.clear()
    (g_remat,) = torch.autograd.grad(kerasish.remat(block)(x).sum(), w)
    assert len(calls) == 2  # the forward, then its recomputation in the backward pass
    torch.testing.assert_close(g_remat, g_plain)
