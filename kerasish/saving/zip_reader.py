"""Reading members of a `.keras` zip with bounded memory, refusing decompression bombs.

A zip member's sizes are declared in its headers and can lie, and a deflated member can inflate
about 1,000 times (a 1 MiB file holding a 1 GiB member). So:

- small members (`config.json`) are read through a cap: at most `limit` bytes are ever inflated;
- the weights member is never read into memory: a stored member (what Keras and kerasish write) is
  handed to h5py as a window onto the archive file; a compressed one is inflated in chunks into an
  unnamed temporary file, counting the bytes actually inflated and stopping at a bound;
- nothing is ever extracted under a member's own name, so a member named `../../x` writes nothing.
"""

import contextlib
import io
import os
import struct
import tempfile
import zipfile
import zlib

# config.json of the largest Keras models is a few MB; more is not a model config.
CONFIG_LIMIT = 64 << 20
# A compressed member may inflate to this many bytes whatever its ratio...
BOMB_FLOOR = 256 << 20
# ...and beyond it to at most this multiple of its stored size (Keras stores members uncompressed;
# float weights deflate about 1.1x; DEFLATE's ceiling is ~1032x).
MAX_EXPANSION = 100
_CHUNK = 1 << 20
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, 22 bytes of fields, name and extra lengths


def _refuse(filepath, message):
    return ValueError(f"{message} Received: filepath={filepath}")


def _check_bounds(info, archive_size, filepath):
    if info.flag_bits & 0x1:
        raise _refuse(filepath, f"The archive member {info.filename!r} is encrypted; a `.keras` file "
                                "never is.")
    if info.header_offset + info.compress_size > archive_size:
        raise _refuse(filepath, f"The archive member {info.filename!r} claims "
                                f"{info.compress_size} stored bytes past the end of the file: it is "
                                "truncated or corrupt.")


def inflation_bound(info):
    """The most bytes the member may inflate to (see the module docstring)."""
    return max(BOMB_FLOOR, MAX_EXPANSION * info.compress_size)


def _check_declared(info, filepath):
    if info.file_size > inflation_bound(info):
        raise _refuse(filepath, f"Not allowed: the archive member {info.filename!r} declares "
                                f"{info.file_size} bytes but stores {info.compress_size}; refusing a "
                                "potential decompression bomb.")


def read_capped(z, name, limit, filepath):
    """The bytes of member `name`, inflating at most `limit` bytes (more raises `ValueError`)."""
    info = z.getinfo(name)
    _check_bounds(info, os.path.getsize(filepath), filepath)
    if info.file_size > limit:
        raise _refuse(filepath, f"The archive member {name!r} declares {info.file_size} bytes, more "
                                f"than the {limit} allowed for it.")
    with z.open(info) as f:
        data = f.read(limit + 1)  # inflates at most limit + 1 bytes, whatever the header says
    if len(data) > limit:
        raise _refuse(filepath, f"The archive member {name!r} inflates to more than the {limit} "
                                "bytes allowed for it (its header under-states its size).")
    return data


class _Window(io.RawIOBase):
    """A read-only file object over bytes `[start, start + size)` of a file."""

    def __init__(self, path, start, size):
        super().__init__()
        self._file = open(path, "rb")
        self._start, self._size, self._pos = start, size, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self):
        return self._pos

    def readinto(self, buffer):
        n = min(len(buffer), self._size - self._pos)
        if n <= 0:
            return 0
        self._file.seek(self._start + self._pos)
        got = self._file.readinto(memoryview(buffer)[:n])
        self._pos += got
        return got

    def close(self):
        self._file.close()
        super().close()


def _stored_window(info, filepath):
    with open(filepath, "rb") as f:
        f.seek(info.header_offset)
        header = f.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or not header.startswith(b"PK\x03\x04"):
        raise _refuse(filepath, f"The archive member {info.filename!r} has no valid local header: "
                                "the file is truncated or corrupt.")
    _, name_len, extra_len = _LOCAL_HEADER.unpack(header)
    start = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len
    if info.file_size != info.compress_size or start + info.file_size > os.path.getsize(filepath):
        raise _refuse(filepath, f"The archive member {info.filename!r} is truncated or corrupt.")
    window = _Window(filepath, start, info.file_size)
    crc = 0
    while chunk := window.read(_CHUNK):  # the checksum zipfile would check on a whole read
        crc = zlib.crc32(chunk, crc)
    if crc != info.CRC:
        window.close()
        raise _refuse(filepath, f"The archive member {info.filename!r} fails its checksum: the "
                                "file is corrupt.")
    window.seek(0)
    return window


def _inflate_to_temp(z, info, filepath):
    bound = inflation_bound(info)
    tmp = tempfile.TemporaryFile()  # unnamed: nothing appears on disk under any member's name
    try:
        written = 0
        with z.open(info) as member:
            while chunk := member.read(_CHUNK):
                written += len(chunk)
                if written > bound:
                    raise _refuse(filepath, f"Not allowed: the archive member {info.filename!r} "
                                            f"inflates past {bound} bytes from {info.compress_size} "
                                            "stored; refusing a potential decompression bomb.")
                tmp.write(chunk)
        tmp.seek(0)
        return tmp
    except BaseException:
        tmp.close()
        raise


@contextlib.contextmanager
def member_file(z, name, filepath):
    """A seekable, read-only file object holding member `name`, without reading it into memory."""
    info = z.getinfo(name)
    _check_bounds(info, os.path.getsize(filepath), filepath)
    _check_declared(info, filepath)
    if info.compress_type == zipfile.ZIP_STORED:
        f = _stored_window(info, filepath)
    else:
        f = _inflate_to_temp(z, info, filepath)
    try:
        yield f
    finally:
        f.close()
