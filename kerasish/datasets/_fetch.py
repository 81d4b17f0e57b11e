"""Downloading dataset files through `get_file`, with an origin override and a clear offline error.

`KERASISH_DATASETS_ORIGIN` (an environment variable) replaces Keras's origin folder for every dataset,
e.g. a local mirror or the test suite's local HTTP server; the defaults are Keras's URLs.
"""

import os

from kerasish.backend import config
from kerasish.utils.file_utils import get_file

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
ORIGIN_ENV = "KERASISH_DATASETS_ORIGIN"


def origin_folder(default=KERAS_ORIGIN):
    """The folder URL files are downloaded from: `$KERASISH_DATASETS_ORIGIN` or Keras's."""
    override = os.environ.get(ORIGIN_ENV)
    if override:
        return override if override.endswith("/") else override + "/"
    return default


def fetch(fname, remote_name=None, file_hash=None, cache_subdir="datasets", default_origin=KERAS_ORIGIN,
          **kwargs):
    """`get_file` for a dataset file; offline with nothing cached, a `RuntimeError` that names the
    exact file to download and where to put it."""
    url = origin_folder(default_origin) + (remote_name or fname)
    try:
        return get_file(fname, origin=url, file_hash=file_hash, cache_subdir=cache_subdir, **kwargs)
    except ValueError:
        raise
    except Exception as e:  # noqa: BLE001 - any network failure becomes one actionable message
        place = os.path.join(os.path.expanduser(config.keras_home()), cache_subdir, fname)
        raise RuntimeError(
            f"Could not download {url} ({e}). Download that file yourself and place it at {place} "
            f"(the folder comes from $KERAS_HOME, default ~/.keras). Received: fname={fname!r}"
        ) from e
