"""`kerasish.distribution` in one process: Keras 3.15's names and signatures, `LayoutMap`'s regex
keys and errors as Keras has them, layouts as DTensor placements, argument checks, and the
current distribution per thread."""

import inspect
import threading

import numpy as np
import pytest

import kerasish
from kerasish import distribution

NAMES = ["DataParallel", "DeviceMesh", "LayoutMap", "ModelParallel", "TensorLayout",
         "distribute_tensor", "distribution", "get_device_count", "initialize", "list_devices",
         "set_distribution"]


def test_names_and_signatures_match_keras(keras):
    assert sorted(n for n in dir(keras.distribution) if not n.startswith("_")) == NAMES
    for name in NAMES:
        theirs = inspect.signature(getattr(keras.distribution, name))
        ours = inspect.signature(getattr(distribution, name))
        if name == "DataParallel":  # plus kerasish's fully_shard keyword, last
            assert list(ours.parameters)[:-1] == list(theirs.parameters)
            assert ours.parameters["fully_shard"].default is False
            continue
        assert [(p.name, p.default, p.kind) for p in ours.parameters.values()] == \
            [(p.name, p.default, p.kind) for p in theirs.parameters.values()], name


def _maps(keras):
    devices = [f"cpu:{i}" for i in range(8)]
    pair = []
    for lib in (keras.distribution, distribution):
        mesh = lib.DeviceMesh((2, 4), ("batch", "model"), devices)
        layout_map = lib.LayoutMap(mesh)
        layout_map[".*dense.*kernel"] = (None, "model")
        layout_map[".*dense.*bias"] = ("model",)
        layout_map[".*conv2d.*kernel"] = lib.TensorLayout((None, None, None, "model"))
        layout_map["exact/kernel"] = ("batch", None)
        pair.append(layout_map)
    return pair


@pytest.mark.parametrize("key", ["dense_1/kernel", "sequential/dense/bias", "my_model/conv2d_123/kernel",
                                 "my_model/conv3d_1/kernel", "exact/kernel", "dense"])
def test_layout_map_lookups_match_keras(keras, key):
    theirs, ours = _maps(keras)
    a, b = theirs[key], ours[key]
    assert (a is None) == (b is None)
    if a is not None:
        assert b.axes == a.axes and b.device_mesh.axis_names == list(a.device_mesh.axis_names)
    assert len(ours) == len(theirs) and list(ours) == list(theirs)


def test_layout_map_errors_match_keras(keras):
    for layout_map in _maps(keras):
        layout_map[".*dense_1.*"] = (None, "model")
        with pytest.raises(ValueError, match="matches multiple layout"):
            layout_map["dense_1/kernel"]
        with pytest.raises(ValueError, match="already exist"):
            layout_map[".*dense.*bias"] = ("model",)
        with pytest.raises(ValueError, match="should be a TensorLayout"):
            layout_map["other"] = "model"
        with pytest.raises(ValueError, match="Invalid axis names"):
            layout_map["another"] = ("data",)


def test_mesh_checks():
    with pytest.raises(ValueError, match="same size"):
        distribution.DeviceMesh((2, 1), ("batch",), ["cpu:0", "cpu:1"])
    with pytest.raises(ValueError, match="number of devices"):
        distribution.DeviceMesh((4,), ("batch",), ["cpu:0", "cpu:1"])
    mesh = distribution.DeviceMesh((1,), ("batch",))
    assert mesh.devices.tolist() == distribution.list_devices() == ["cpu:0"]
    assert distribution.get_device_count() == 1 and distribution.get_device_count("gpu") == 0
    with pytest.raises(ValueError, match="Received: device_type='npu'"):
        distribution.list_devices("npu")


def test_layout_placements_follow_torch_storage():
    from torch.distributed.tensor import Replicate, Shard

    from kerasish.distribution.sharded import keras_to_torch_dims

    mesh = distribution.DeviceMesh((2, 4), ("batch", "model"), [f"cpu:{i}" for i in range(8)])
    layout = distribution.TensorLayout((None, None, "batch", "model"), mesh)
    assert layout.placements() == [Shard(2), Shard(3)]
    # A Conv2D kernel is (h, w, in, out) in Keras and stored (out, in, h, w) in torch.
    assert layout.placements(keras_to_torch_dims("conv", 4)) == [Shard(1), Shard(0)]
    assert distribution.TensorLayout((None, "model"), mesh).placements() == [Replicate(), Shard(1)]
    with pytest.raises(ValueError, match="only one tensor dimension"):
        distribution.TensorLayout(("model", "model"), mesh)


def test_distributions_and_their_checks():
    dp = distribution.DataParallel()
    assert dp.batch_dim_name == "batch" and dp.num_model_replicas == 1 and dp.data_shard_id == 0
    assert dp.get_data_layout((4, 3)).axes == ("batch", None)
    with pytest.raises(ValueError, match="Expect `mesh` to be an instance"):
        distribution.DataParallel(device_mesh="mesh")
    with pytest.raises(ValueError, match="must specify a layout_map"):
        distribution.ModelParallel()
    mesh = distribution.DeviceMesh((1,), ("model",))
    with pytest.raises(ValueError, match="Received: batch_dim_name='data'"):
        distribution.ModelParallel(layout_map=distribution.LayoutMap(mesh), batch_dim_name="data")
    with pytest.raises(ValueError, match="Received: value="):
        distribution.set_distribution("data_parallel")


def test_one_process_trains_as_without_distribution():
    x = np.random.default_rng(0).random((16, 4)).astype("float32")
    results = []
    for dist in (None, distribution.DataParallel(fully_shard=True)):
        distribution.set_distribution(dist)
        try:
            kerasish.utils.set_random_seed(1)
            model = kerasish.Sequential([kerasish.Input((4,)), kerasish.layers.Dense(3)])
            model.compile("sgd", "mse")
            model.fit(x, x[:, :3], epochs=2, verbose=0)
            results.append(model.get_weights())
        finally:
            distribution.set_distribution(None)
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)


def test_current_distribution_is_per_thread_as_in_keras():
    dist = distribution.DataParallel()
    seen = []
    with dist.scope():
        assert distribution.distribution() is dist
        thread = threading.Thread(target=lambda: seen.append(distribution.distribution()))
        thread.start()
        thread.join()
    assert seen == [None] and distribution.distribution() is None


def test_distribute_tensor():
    mesh = distribution.DeviceMesh((1,), ("batch",))
    t = kerasish.ops.ones((2, 3))
    assert distribution.distribute_tensor(t, distribution.TensorLayout(("batch", None), mesh)) is t
    with pytest.raises(ValueError, match="Received: layout="):
        distribution.distribute_tensor(t, distribution.TensorLayout(("batch",), mesh))
    symbolic = kerasish.Input((3,))
    assert distribution.distribute_tensor(symbolic, None) is symbolic
