"""Run by tests/distribute/test_resume_torchrun.py: an interrupted fit resumed by BackupAndRestore,
with a ModelCheckpoint, in one process or under torchrun."""

import json
import os
import sys

import numpy as np

import kerasish
from kerasish import layers

out = sys.argv[1]
rank = int(os.environ.get("RANK", "0"))
rng = np.random.default_rng(0)
x = rng.random((64, 6)).astype("float32")
y = rng.integers(3, size=64)


def build(seed):
    kerasish.utils.set_random_seed(seed)
    model = kerasish.Sequential([kerasish.Input((6,)), layers.Dense(8, activation="relu"),
                                 layers.Dense(3, activation="softmax")])
    model.compile(kerasish.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


class StopAfter(kerasish.callbacks.Callback):
    """Ends the first run after two epochs, as a crash would (the backup stays)."""

    def on_epoch_end(self, epoch, logs=None):
        if epoch == 1:
            self.model.stop_training = True


backup = kerasish.callbacks.BackupAndRestore(f"{out}_backup", delete_checkpoint=False)
build(0).fit(x, y, epochs=4, batch_size=16, shuffle=False, verbose=0, callbacks=[backup, StopAfter()])
# The restarted job: fresh weights, different on every rank, must all resume from rank 0's backup.
model = build(100 + rank)
checkpoint = kerasish.callbacks.ModelCheckpoint(f"{out}_ckpt.keras")
history = model.fit(x, y, epochs=4, batch_size=16, shuffle=False, verbose=0,
                    callbacks=[kerasish.callbacks.BackupAndRestore(f"{out}_backup"), checkpoint])
np.savez(f"{out}_rank{rank}.npz", *model.get_weights(), *[v.numpy() for v in model.optimizer.variables])
with open(f"{out}_rank{rank}.json", "w") as f:
    json.dump({"history": history.history, "epochs": history.epoch,
               "iterations": int(model.optimizer.iterations.numpy()),
               "backup_left": os.path.exists(f"{out}_backup")}, f)
