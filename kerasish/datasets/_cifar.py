"""CIFAR from the dataset authors' *binary* archives (fixed-size records), never from pickles.

Keras downloads `cifar-10-python.tar.gz`, whose batches are Python pickles; kerasish does not unpickle
downloaded files, so it reads the equivalent binary version the CIFAR authors publish alongside
(`cifar-10-binary.tar.gz` / `cifar-100-binary.tar.gz`, same images, same order). Records are a label
byte (two for CIFAR-100: coarse, fine) followed by 3,072 bytes of channels-first 32x32 pixels.
"""

import os

import numpy as np

from kerasish.backend import config
from kerasish.datasets import _fetch

TORONTO = "https://www.cs.toronto.edu/~kriz/"


def read_records(path, label_bytes):
    raw = np.fromfile(path, dtype=np.uint8)
    record = label_bytes + 3072
    if raw.size % record:
        raise ValueError(f"{path} is not a CIFAR binary batch (size {raw.size} is not a multiple of "
                         f"{record}). Received: path={path!r}")
    raw = raw.reshape(-1, record)
    return raw[:, label_bytes:].reshape(-1, 3, 32, 32), raw[:, :label_bytes]


def to_keras_layout(x):
    """Channels-first records -> Keras's layout (channels-last unless configured otherwise)."""
    return x.transpose(0, 2, 3, 1) if config.image_data_format() == "channels_last" else x


def download(archive, folder, md5):
    """The extracted folder of a CIFAR binary archive (downloaded and md5-checked once)."""
    root = _fetch.fetch(archive, file_hash=md5, default_origin=TORONTO, extract=True)
    path = os.path.join(root, folder)
    return path if os.path.isdir(path) else root
