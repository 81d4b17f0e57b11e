"""`get_file`: download a file once into Keras's cache (`$KERAS_HOME/datasets`), check its hash,
and extract archives — Keras's cache layout and arguments."""

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile

from kerasish.backend import config


def resolve_hasher(algorithm, file_hash=None):
    """A hashlib object: sha256 for `"sha256"` (or `"auto"` with a 64-character hash), else md5."""
    if algorithm == "sha256" or (algorithm == "auto" and file_hash is not None and len(file_hash) == 64):
        return hashlib.sha256()
    return hashlib.md5()


def hash_file(fpath, algorithm="sha256", chunk_size=65535):
    """The hex digest of a file (`algorithm`: `"sha256"`, `"md5"`, `"auto"` or a hashlib object).

    Example:

    ```python
    hash_file("mnist.npz")   # '731c5ac6...'
    ```
    """
    hasher = resolve_hasher(algorithm) if isinstance(algorithm, str) else algorithm
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=65535):
    """Whether the file's hash equals `file_hash`.

    Example:

    >>> import hashlib
    >>> with open("data.txt", "w") as f:
    ...     _ = f.write("hello")
    >>> keras.utils.validate_file("data.txt", hashlib.sha256(b"hello").hexdigest())
    True
    >>> keras.utils.validate_file("data.txt", hashlib.sha256(b"other").hexdigest())
    False
    """
    return str(hash_file(fpath, resolve_hasher(algorithm, file_hash), chunk_size)) == str(file_hash)


def _safe_members_tar(archive, path):
    root = os.path.realpath(path)
    for member in archive.getmembers():
        target = os.path.realpath(os.path.join(path, member.name))
        if os.path.commonpath([root, target]) != root or member.issym() or member.islnk() or member.isdev():
            raise ValueError(f"Refusing to extract an archive member outside the target folder or a link. "
                             f"Received: member={member.name!r}")
        yield member


def _extract_tar(file_path, path):
    with tarfile.open(file_path) as archive:
        archive.extractall(path, members=list(_safe_members_tar(archive, path)))


def _extract_zip(file_path, path):
    root = os.path.realpath(path)
    with zipfile.ZipFile(file_path) as archive:
        for name in archive.namelist():
            target = os.path.realpath(os.path.join(path, name))
            if os.path.commonpath([root, target]) != root:
                raise ValueError(f"Refusing to extract an archive member outside the target folder. "
                                 f"Received: member={name!r}")
        archive.extractall(path)


_ARCHIVES = {"tar": (tarfile.is_tarfile, _extract_tar), "zip": (zipfile.is_zipfile, _extract_zip)}


def extract_archive(file_path, path=".", archive_format="auto"):
    """Extracts a tar (gz, bz2, xz) or zip archive into `path`; False if it is neither. Members that
    would land outside `path`, and links, are refused."""
    if archive_format is None:
        return False
    formats = ["tar", "zip"] if archive_format == "auto" else (
        [archive_format] if isinstance(archive_format, str) else list(archive_format))
    for fmt in formats:
        is_archive, extract = _ARCHIVES[fmt]
        if is_archive(file_path):
            try:
                extract(file_path, path)
            except BaseException:
                if os.path.isdir(path):
                    shutil.rmtree(path, ignore_errors=True)
                elif os.path.exists(path):
                    os.remove(path)
                raise
            return True
    return False


def _cache_dir(cache_dir, cache_subdir):
    base = os.path.expanduser(cache_dir or config.keras_home())
    try:
        os.makedirs(base, exist_ok=True)
    except OSError:
        pass
    if not os.access(base, os.W_OK):
        base = os.path.join(tempfile.gettempdir(), ".keras")
    datadir = os.path.join(base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    return datadir


def _targets(fname, origin, datadir, extract, provided):
    if not fname:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(f"Can't parse the file name from the origin provided: '{origin}'. "
                             "Please specify the `fname` argument.")
    elif os.sep in fname:
        raise ValueError("Paths are no longer accepted as the `fname` argument. To specify the file's "
                         f"parent directory, use the `cache_dir` argument. Received: fname={fname}")
    if not extract:
        return os.path.join(datadir, fname), None
    if provided and "." in fname:
        stem = fname[:fname.find(".")]
        return os.path.join(datadir, fname), os.path.join(datadir, f"{stem}_extracted")
    return os.path.join(datadir, f"{fname}_archive"), os.path.join(datadir, fname)


def _download(origin, target):
    from kerasish.utils.progbar import Progbar

    print(f"Downloading data from {origin}")
    bar = {}

    def hook(block_num, block_size, total_size):
        if "p" not in bar:
            bar["p"] = Progbar(total_size if total_size > 0 else None)
        current = block_num * block_size
        bar["p"].update(min(current, total_size) if total_size > 0 else current)

    partial = target + ".part"
    try:
        urllib.request.urlretrieve(origin, partial, hook)
        os.replace(partial, target)  # a failed download never leaves a file that looks complete
    except urllib.error.HTTPError as e:
        raise Exception(f"URL fetch failure on {origin}: {e.code} -- {e.msg}") from e
    except urllib.error.URLError as e:
        raise Exception(f"URL fetch failure on {origin}: {e.errno} -- {e.reason}") from e
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None, cache_subdir="datasets",
             hash_algorithm="auto", extract=False, archive_format="auto", cache_dir=None,
             force_download=False):
    """Downloads `origin` into the cache unless a file with the right hash is already there; returns
    its path (or the extraction folder with `extract=True`).

    Args:
        fname: file name in the cache. Defaults to the last part of `origin`.
        origin: URL of the file.
        untar: Keras 1 spelling of `extract=True` for tar archives.
        md5_hash: Keras 1 spelling of `file_hash` with md5.
        file_hash: expected sha256 (or md5) hex digest; a mismatching cached file is downloaded again,
            a mismatching download raises `ValueError`.
        cache_subdir: folder under the cache dir. Defaults to `"datasets"`.
        hash_algorithm: `"auto"` (sha256 for 64-character hashes, else md5), `"sha256"` or `"md5"`.
        extract: extract the archive (tar or zip) next to it.
        archive_format: `"auto"`, `"tar"`, `"zip"` or None.
        cache_dir: cache root. Defaults to `$KERAS_HOME`, else `~/.keras`.
        force_download: download even if the file is cached.

    Example:

    ```python
    path = get_file("mnist.npz", origin="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz")
    ```
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download). Received: origin=None')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    datadir = _cache_dir(cache_dir, cache_subdir)
    provided = bool(fname)
    fname = os.fspath(fname) if fname else fname
    target, extraction_dir = _targets(fname, origin, datadir, extract or untar, provided)
    download = force_download or not os.path.exists(target)
    if not download and file_hash is not None and not validate_file(target, file_hash, hash_algorithm):
        print(f"A local file was found, but it seems to be incomplete or outdated because the {hash_algorithm} "
              f"file hash does not match the original value of {file_hash} so we will re-download the data.")
        download = True
    if download:
        _download(origin, target)
        if file_hash is not None and not validate_file(target, file_hash, hash_algorithm):
            os.remove(target)
            raise ValueError(f"Incomplete or corrupted file detected. The {hash_algorithm} file hash does not "
                             f"match the provided value of {file_hash}. Received: origin={origin}")
    if extract or untar:
        if not extract_archive(target, extraction_dir, "tar" if untar else archive_format):
            warnings.warn("Could not extract archive.", stacklevel=2)
        return extraction_dir
    return target
