"""`BackupAndRestore`: resume an interrupted `fit()` at the epoch and state it reached.

The backup is two files of our own: `latest.pt` (plain tensors and dicts of tensors, written with
`torch.save` and read with `torch.load(weights_only=True)`, so loading never runs code) and
`training_metadata.json` (the epoch to resume at, for people and tools to read). `latest.pt` holds
the epoch too and is what a restart trusts: each file is replaced atomically, but not both at once,
so a process killed between the two writes leaves a metadata file one backup behind.

Under torchrun only rank 0 reads and writes the backup; it sends the resume epoch and the restored
state to the other ranks (`kerasish.distribute.state_sync`), so all ranks resume together.
"""

import json
import os
import shutil

import torch

from kerasish.callbacks._lr_utils import get_lr, set_lr
from kerasish.callbacks.callback import Callback
from kerasish.saving import atomic

_STATE_FILE = "latest.pt"
_METADATA_FILE = "training_metadata.json"


def _atomic_write(path, write):
    # A crash while writing must not leave a half-written backup in place of the last good one.
    with atomic.atomic_path(path) as tmp:
        write(tmp)


def _copy(source, destination):
    _atomic_write(destination, lambda tmp: shutil.copyfile(source, tmp))


def _write_text(path, text):
    with open(path, "w") as f:
        f.write(text)


def _distributed():
    from kerasish.distribute import training

    return training.active()


def _is_chief():
    from kerasish.distribute import process_group

    return process_group.is_chief()


def _optimizer_state(optimizer):
    if optimizer is None:
        return {}
    if isinstance(optimizer, torch.optim.Optimizer):
        return {"torch_optimizer": optimizer.state_dict()}
    if hasattr(optimizer, "inner_optimizer"):  # LossScaleOptimizer: the state is the inner one's
        state = _optimizer_state(optimizer.inner_optimizer)
        state["loss_scale"] = torch.tensor([optimizer._scale, optimizer._good_steps], dtype=torch.float64)
        return state
    return {
        "slots": [v.detach().clone() for v in optimizer.variables],
        "iterations": torch.tensor(int(optimizer._iterations)),
        "learning_rate": torch.tensor(get_lr(optimizer), dtype=torch.float64),
    }


def _load_optimizer_state(optimizer, state):
    if optimizer is None or not state:
        return
    if isinstance(optimizer, torch.optim.Optimizer):
        optimizer.load_state_dict(state["torch_optimizer"])
        return
    if hasattr(optimizer, "inner_optimizer"):
        _load_optimizer_state(optimizer.inner_optimizer, state)
        if "loss_scale" in state:
            scale, good_steps = state["loss_scale"].tolist()
            optimizer._scale, optimizer._good_steps = scale, int(good_steps)
        return
    slots = optimizer.variables
    if len(slots) != len(state["slots"]):
        raise ValueError(
            "The optimizer state in the backup does not match the optimizer: expected "
            f"{len(slots)} state variables. Received: {len(state['slots'])} in the backup"
        )
    with torch.no_grad():
        for var, value in zip(slots, state["slots"]):
            var.copy_(value.to(var.device))
    optimizer._iterations = int(state["iterations"])
    if getattr(optimizer, "_lr_schedule", None) is None:
        set_lr(optimizer, float(state["learning_rate"]))


def _load_model_state(model, tensors):
    # By position, as Keras's weight files: automatic layer names differ between processes.
    current = model.state_dict()
    shapes = [tuple(v.shape) for v in current.values()]
    saved = [tuple(t.shape) for t in tensors]
    if shapes != saved:
        raise ValueError(
            "The backup does not match the model: expected tensors of shapes "
            f"{shapes}. Received: shapes {saved} in the backup"
        )
    model.load_state_dict(dict(zip(current.keys(), tensors)))


def _rng_state():
    state = {"cpu": torch.get_rng_state()}
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _load_rng_state(state):
    torch.set_rng_state(state["cpu"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


class BackupAndRestore(Callback):
    """Backs up the model, optimizer and random state so a restarted `fit()` resumes from the
    last backup: the same epoch, weights, optimizer slots, iteration count and shuffling.

    Args:
        backup_dir: directory of the backup (created if needed). Use a different one per job.
        save_freq: `"epoch"` (back up at each epoch end) or an integer number of batches
            (resuming then restarts the interrupted epoch from the mid-epoch weights, as Keras).
        double_checkpoint: also keep the previous backup (`*.bkp`), used if the latest is
            unreadable.
        delete_checkpoint: delete `backup_dir` when training finishes normally.

    Example:

    ```python
    callback = kerasish.callbacks.BackupAndRestore(backup_dir="/tmp/backup")
    model.fit(x, y, epochs=10, callbacks=[callback])  # rerun the same line after a crash
    ```
    """

    _reads_batch_logs = False

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError(f"Empty `backup_dir` argument passed. Received: backup_dir={backup_dir!r}")
        if save_freq != "epoch" and (not isinstance(save_freq, int) or isinstance(save_freq, bool) or save_freq < 1):
            raise ValueError(
                "Invalid value for argument `save_freq`. Expected either 'epoch' or a positive integer. "
                f"Received: save_freq={save_freq}"
            )
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._skip_batch_hooks = save_freq == "epoch"
        self._state_path = os.path.join(self.backup_dir, _STATE_FILE)
        self._metadata_path = os.path.join(self.backup_dir, _METADATA_FILE)
        self._batches_since_save = 0
        self._current_epoch = 0
        self._last_batch_seen = 0

    # ---------------------------------------------------------------- restore
    def on_train_begin(self, logs=None):
        if not _distributed():
            self._restore()
            return
        from kerasish.distribute import training

        if training.engine(self.model) is not None:
            # Rank 0 alone writes the backup, from the variables it holds: a shard of each.
            raise ValueError(
                "BackupAndRestore does not support models whose variables are split across "
                "processes (kerasish.distribution: ModelParallel, DataParallel(fully_shard=True)). "
                "Save with `model.save(...)` on every rank (e.g. ModelCheckpoint) instead. "
                f"Received: backup_dir={self.backup_dir!r}")
        # Rank 0 alone reads the backup, then every rank takes its epoch and state.
        from kerasish.distribute import state_sync

        restored = self._restore() if _is_chief() else False
        epoch = state_sync.broadcast_int(self._current_epoch if restored else -1, self.model)
        if epoch < 0:
            return
        state_sync.broadcast_training_state(self.model)
        if isinstance(self.model.optimizer, torch.optim.Optimizer) and not _is_chief():
            self._load(self._state_path, self._metadata_path)  # torch.optim: needs a shared path
        self._current_epoch = epoch
        self.model._initial_epoch = epoch

    def _restore(self):
        """Loads the latest backup (or the previous one if it is unreadable); returns whether one
        was found."""
        try:
            return self._load(self._state_path, self._metadata_path)
        except (OSError, RuntimeError, ValueError, KeyError):
            if not os.path.exists(self._state_path + ".bkp"):
                raise
            return self._load(self._state_path + ".bkp", self._metadata_path + ".bkp")

    def _load(self, state_path, metadata_path):
        if not os.path.exists(state_path):
            return False
        state = torch.load(state_path, map_location="cpu", weights_only=True)
        _load_model_state(self.model, state["model"])
        _load_optimizer_state(self.model.optimizer, state.get("optimizer"))
        _load_rng_state(state["rng"])
        if "progress" in state:  # the epoch saved with the weights, in the same atomic write
            epoch = int(state["progress"][0])
        else:  # a backup from before the epoch was kept in `latest.pt`
            with open(metadata_path) as f:
                epoch = int(json.load(f)["epoch"])
        self._current_epoch = epoch
        self.model._initial_epoch = self._current_epoch
        return True

    # ---------------------------------------------------------------- backup
    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        added = batch + 1 if batch <= self._last_batch_seen else batch - self._last_batch_seen
        self._last_batch_seen = batch
        self._batches_since_save += added
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save(epoch=self._current_epoch, batch=batch)

    def on_epoch_end(self, epoch, logs=None):
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save(epoch=epoch + 1, batch=0)

    def _save(self, epoch, batch):
        if _distributed() and not _is_chief():
            return  # the ranks hold the same state: rank 0 writes it
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._state_path):
            _copy(self._state_path, self._state_path + ".bkp")
            _copy(self._metadata_path, self._metadata_path + ".bkp")
        state = {
            "model": [v.detach().cpu() for v in self.model.state_dict().values()],
            "optimizer": _optimizer_state(self.model.optimizer),
            "rng": _rng_state(),
            "progress": torch.tensor([epoch, batch], dtype=torch.int64),
        }
        _atomic_write(self._state_path, lambda p: torch.save(state, p))
        metadata = json.dumps({"epoch": epoch, "batch": batch})
        _atomic_write(self._metadata_path, lambda p: _write_text(p, metadata))

    def on_train_end(self, logs=None):
        if _distributed() and not _is_chief():
            return
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)
