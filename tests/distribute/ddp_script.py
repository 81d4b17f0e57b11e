"""Trained by tests/distribute/test_torchrun.py once in one process and once under torchrun."""

import json
import os
import sys

import numpy as np

import kerasish
from kerasish import layers

out, fail_rank = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else -1
rank = int(os.environ.get("RANK", "0"))
kerasish.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.random((100, 8)).astype("float32")
y = rng.integers(3, size=100)
model = kerasish.Sequential([kerasish.Input((8,)), layers.Dense(16, activation="relu"),
                             layers.Dense(3, activation="softmax")])
model.compile(kerasish.optimizers.SGD(0.1, momentum=0.9), "sparse_categorical_crossentropy",
              metrics=["accuracy"])


class FailOnRank(kerasish.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if rank == fail_rank and epoch == 1:
            raise RuntimeError(f"injected failure on rank {rank}")


# 100 rows with a global batch of 32: the last batch (4 rows) splits 2/2, the others 16/16.
history = model.fit(x, y, epochs=3, batch_size=32, shuffle=False, verbose=2,
                    validation_data=(x[:30], y[:30]),
                    callbacks=[FailOnRank(), kerasish.callbacks.CSVLogger(f"{out}_log.csv")])
result = model.evaluate(x, y, verbose=0, return_dict=True)
predictions = model.predict(x, verbose=0)
model.save_weights(f"{out}.weights.h5")
np.savez(f"{out}_rank{rank}.npz", *model.get_weights(), predictions=predictions)
with open(f"{out}_rank{rank}.json", "w") as f:
    json.dump({"history": history.history, "evaluate": result}, f)
