"""Atomic file writes: a crash mid-save leaves the previous file intact.

Everything is written to a temporary file in the destination's directory (same filesystem, so the
final `os.replace` is atomic), flushed, and only then renamed over the destination.
"""

import contextlib
import os
import tempfile


@contextlib.contextmanager
def atomic_path(filepath, overwrite=True):
    """Yields a temporary path next to `filepath`; on success it replaces `filepath`.

    Args:
        filepath: the destination.
        overwrite: when `False`, an existing destination raises `FileExistsError`.

    Example:

    ```python
    with atomic_path("model.keras") as tmp:
        write_everything_to(tmp)
    ```
    """
    filepath = os.fspath(filepath)
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(
            f"The file already exists and `overwrite=False`. Received: filepath={filepath}"
        )
    directory = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(filepath)}.", suffix=".tmp", dir=directory)
    os.close(fd)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, filepath)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
