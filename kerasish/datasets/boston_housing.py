"""Boston housing prices: `load_data()` -> `(x_train, y_train), (x_test, y_test)` (13 features)."""

from kerasish.datasets import _fetch, _housing, _safe_npz

FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Keras's `boston_housing.npz`, shuffled with `seed` and split at `1 - test_split`.

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = load_data()
    ```
    """
    if not 0 <= test_split < 1:
        raise ValueError(f"`test_split` must be between 0 and 1. Received: test_split={test_split}")
    file_path = _fetch.fetch(path, remote_name="boston_housing.npz", file_hash=FILE_HASH)
    x, y = _safe_npz.read_arrays(file_path, ["x", "y"])
    return _housing.shuffle_split(x, y, test_split, seed)
