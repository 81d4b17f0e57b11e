"""Trained by tests/distribution/test_distribution.py in one process and under torchrun with
`keras.distribution` layouts, one run per mode given (comma-separated):

- "model": ModelParallel on a (1, N) mesh splitting the Dense kernels and biases by units;
- "batch_model": ModelParallel on an (N, 1) mesh (data split, kernels on a model axis of 1);
- "fsdp": DataParallel(fully_shard=True) on an (N,) mesh;
- "single": no distribution (the reference, in one process).
"""

import json
import os
import sys

import numpy as np

import kerasish
from kerasish import distribution, layers

out, modes = sys.argv[1], sys.argv[2].split(",")
fail_rank = int(sys.argv[3]) if len(sys.argv) > 3 else -1
rank = int(os.environ.get("RANK", "0"))
rng = np.random.default_rng(0)
x = rng.random((90, 8)).astype("float32")
y = rng.integers(6, size=90)


def make_distribution(mode):
    n = distribution.get_device_count()
    if mode == "model":
        mesh = distribution.DeviceMesh((1, n), ("batch", "model"), distribution.list_devices())
        layout_map = distribution.LayoutMap(mesh)
        layout_map[".*dense.*kernel"] = (None, "model")
        layout_map[".*dense.*bias"] = ("model",)
        # Keras's (k, in, out) kernel is stored as torch's (out, in, k): split by filters.
        layout_map[".*conv1d.*kernel"] = (None, None, "model")
        layout_map[".*conv1d.*bias"] = ("model",)
        return distribution.ModelParallel(layout_map=layout_map, batch_dim_name="batch")
    if mode == "batch_model":
        # Data split in 2, a model axis of 1: split kernels' gradients are all-reduced over the
        # batch axis, and so are the replicated variables' (biases, the Conv1D: not in the map).
        mesh = distribution.DeviceMesh((n, 1), ("batch", "model"), distribution.list_devices())
        layout_map = distribution.LayoutMap(mesh)
        layout_map[".*dense.*kernel"] = (None, "model")
        return distribution.ModelParallel(layout_map=layout_map)
    if mode == "fsdp":
        return distribution.DataParallel(fully_shard=True)
    return None


def build():
    kerasish.utils.set_random_seed(0)
    model = kerasish.Sequential([
        kerasish.Input((8,)), layers.Reshape((8, 1)), layers.Conv1D(4, 3, activation="relu"),
        layers.Flatten(), layers.Dense(16, activation="relu", kernel_regularizer="l2"),
        layers.Dense(6, activation="softmax")])
    model.compile(kerasish.optimizers.Adam(0.01), "sparse_categorical_crossentropy",
                  metrics=["accuracy", kerasish.metrics.SparseCategoricalCrossentropy(name="xent")])
    return model


class FailOnRank(kerasish.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if rank == fail_rank and epoch == 0:
            raise RuntimeError(f"injected failure on rank {rank}")


def run(mode):
    distribution.set_distribution(make_distribution(mode))
    model = build()
    local_shapes = {w.path: list(w.shape) for w in model.weights}
    count = model.count_params()
    # 90 rows, global batch 32: the last batch (26 rows) splits 13/13 on a batch axis of 2.
    history = model.fit(x, y, epochs=2, batch_size=32, shuffle=False, verbose=0,
                        validation_data=(x[:20], y[:20]), callbacks=[FailOnRank()])
    result = model.evaluate(x, y, verbose=0, return_dict=True)
    predictions = model.predict(x[:37], verbose=0)
    model.save(f"{out}_{mode}.keras")
    np.savez(f"{out}_{mode}_rank{rank}.npz", *model.get_weights(), predictions=predictions)
    with open(f"{out}_{mode}_rank{rank}.json", "w") as f:
        json.dump({"history": history.history, "evaluate": result, "local_shapes": local_shapes,
                   "count_params": count,
                   "slot_shapes": [list(v.shape) for v in model.optimizer.variables]}, f)
    # Loaded back under the same distribution: split again, with the same values.
    restored = kerasish.models.load_model(f"{out}_{mode}.keras")
    np.savez(f"{out}_{mode}_restored_rank{rank}.npz", *restored.get_weights(),
             predictions=restored.predict(x[:37], verbose=0))
    if mode != "model":
        return  # (the refusals do not depend on the layout)
    refusals = []
    for optimizer in (kerasish.optimizers.Adam(clipnorm=1.0), kerasish.optimizers.Lamb()):
        model.compile(optimizer, "sparse_categorical_crossentropy")
        try:
            model.fit(x, y, epochs=1, verbose=0)
        except ValueError as e:
            refusals.append(str(e))
    model.compile("adam", "sparse_categorical_crossentropy")
    try:
        model.fit(x, y, epochs=1, verbose=0, callbacks=[kerasish.callbacks.BackupAndRestore(f"{out}_bk")])
    except ValueError as e:
        refusals.append(str(e))
    with open(f"{out}_{mode}_refusals_rank{rank}.json", "w") as f:
        json.dump(refusals, f)
    distribution.set_distribution(None)


for mode in modes:
    run(mode)
