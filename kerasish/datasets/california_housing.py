"""California housing prices: `load_data()` -> `(x_train, y_train), (x_test, y_test)` (8 features)."""

from kerasish.datasets import _fetch, _housing, _safe_npz

FILE_HASH = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """Keras's `california_housing.npz`: `version="large"` (20,640 rows) or `"small"` (first 600).

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = load_data(version="small")
    ```
    """
    if version not in ("small", "large"):
        raise ValueError(f"Argument `version` must be one of 'small', 'large'. Received: version={version}")
    file_path = _fetch.fetch(path, remote_name="california_housing.npz", file_hash=FILE_HASH)
    x, y = _safe_npz.read_arrays(file_path, ["x", "y"])
    if version == "small":
        x, y = x[:600], y[:600]
    return _housing.shuffle_split(x, y, test_split, seed)
