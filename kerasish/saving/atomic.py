"""Atomic file writes: a crash mid-save leaves the previous file intact.

Everything is written to a temporary file in the destination's directory (same filesystem, so the
final `os.replace` is atomic), flushed to disk, and only then renamed over the destination.

The temporary file is named `.<name>.<host>-<pid>.<random>.kerasish-tmp`. A process killed mid-save
(`kill -9`, power loss) cannot remove it, so the next save to the same destination removes the ones
whose writer is gone: same host, and a process id that is no longer running (or this process's own
id, when this process holds no such save open: a restarted container often reuses its pid).
Nothing else in the directory is touched.
"""

import contextlib
import errno
import os
import re
import socket
import tempfile
import threading

TMP_SUFFIX = ".kerasish-tmp"
_OPEN = set()  # this process's temp files still being written
_OPEN_LOCK = threading.Lock()
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _host():
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def _pid_running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, owned by someone else
        return True
    return True


def _stale_temp_files(directory, basename):
    """This destination's temp files left by writers that died (see the module docstring)."""
    pattern = re.compile(re.escape(f".{basename}.{_host()}-") + r"(\d+)\.[A-Za-z0-9_]+"
                         + re.escape(TMP_SUFFIX) + r"(\.[A-Za-z0-9]+)?$")
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    stale = []
    for name in names:
        match = pattern.match(name)
        if match is None:
            continue
        path = os.path.join(directory, name)
        pid = int(match.group(1))
        with _OPEN_LOCK:
            ours_and_open = path in _OPEN
        if pid == os.getpid() and not ours_and_open or pid != os.getpid() and not _pid_running(pid):
            stale.append(path)
    return stale


def remove_stale_temp_files(filepath):
    """Removes the temp files earlier, killed saves to `filepath` left behind; returns their paths."""
    filepath = os.fspath(filepath)
    directory = os.path.dirname(os.path.abspath(filepath))
    removed = []
    for path in _stale_temp_files(directory, os.path.basename(filepath)):
        with contextlib.suppress(OSError):
            os.remove(path)
            removed.append(path)
    return removed


def _fsync_directory(directory):
    # Makes the rename itself durable across a power loss (not needed for a killed process).
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _clear_error(e, filepath):
    if isinstance(e, OSError) and e.errno in _DISK_FULL:
        return OSError(e.errno, f"Could not save to {filepath}: {os.strerror(e.errno)} (the disk or "
                                f"quota is full). The previous file, if any, is unchanged. Free some "
                                f"space and save again. Received: filepath={filepath}")
    return None


@contextlib.contextmanager
def atomic_path(filepath, overwrite=True, suffix=""):
    """Yields a temporary path next to `filepath`; on success it replaces `filepath`.

    Args:
        filepath: the destination.
        overwrite: when `False`, an existing destination raises `FileExistsError`.

    A full disk raises `OSError` (errno `ENOSPC`) naming `filepath`; the previous file is kept.

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
    remove_stale_temp_files(filepath)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(filepath)}.{_host()}-{os.getpid()}.",
                               suffix=TMP_SUFFIX + suffix, dir=directory)
    os.close(fd)
    with _OPEN_LOCK:
        _OPEN.add(tmp)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, filepath)
        _fsync_directory(directory)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        clear = _clear_error(e, filepath)
        if clear is not None:
            raise clear from e
        raise
    finally:
        with _OPEN_LOCK:
            _OPEN.discard(tmp)
