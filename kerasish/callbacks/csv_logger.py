"""`CSVLogger`: write each epoch's logs as a row of a CSV file."""

import collections.abc
import csv
import os

import numpy as np

from kerasish.callbacks.callback import Callback


def _csv_value(value):
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Iterable) and not (isinstance(value, np.ndarray) and value.ndim == 0):
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Streams epoch results to a CSV file: a header `epoch,<sorted log names>`, then a row per
    epoch (missing values written as `NA`).

    Args:
        filename: path of the CSV file.
        separator: the field delimiter. Defaults to `","`.
        append: append to an existing file (writing the header only if the file is empty)
            instead of overwriting it.

    Example:

    ```python
    csv_logger = kerasish.callbacks.CSVLogger("training.log")
    model.fit(x, y, callbacks=[csv_logger], verbose=0)
    ```
    """

    _reads_batch_logs = False

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename, "r", newline="") as f:
                    self.append_header = not bool(len(f.readline()))
            mode = "a"
        else:
            mode = "w"
        if self.csv_file and not self.csv_file.closed:
            self.csv_file.close()
        self.csv_file = open(self.filename, mode, newline="")
        self.writer = None
        self.keys = None

    def _keys_for(self, logs):
        keys = sorted(logs.keys())
        # The first epoch may lack validation (validation_freq > 1): reserve its columns.
        if keys and not any(k.startswith("val_") for k in keys):
            keys.extend(f"val_{k}" for k in list(keys))
        return keys

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = self._keys_for(logs)
        if self.writer is None:
            dialect = type("KerasishCSVDialect", (csv.excel,), {"delimiter": self.sep})
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys, dialect=dialect)
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((k, _csv_value(logs.get(k, "NA"))) for k in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None
