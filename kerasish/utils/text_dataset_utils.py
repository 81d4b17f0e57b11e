"""`text_dataset_from_directory`: Keras's arguments, file order and labels; texts are `str`."""

from kerasish.utils import dataset_utils


def text_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                batch_size=32, max_length=None, shuffle=True, seed=None,
                                validation_split=None, subset=None, follow_links=False, format="tf",
                                verbose=True):
    """A `Dataset` of `(texts, labels)` batches from `directory/<class name>/*.txt`.

    Files are found, labelled, shuffled and split as Keras does (see
    `image_dataset_from_directory`). A batch of texts is a numpy array of `str` (with a
    `.numpy()` method, like a string tensor); files are read as UTF-8, and `max_length` cuts
    each file to that many bytes before decoding, as `tf.strings.substr` does (a character cut in
    half is dropped).

    Args:
        directory: folder of class sub-folders of `.txt` files.
        labels, label_mode, class_names: as in `image_dataset_from_directory`.
        batch_size: texts per batch, or None. Defaults to 32.
        max_length: maximum length of a text in bytes, or None.
        shuffle, seed, validation_split, subset, follow_links: as in `image_dataset_from_directory`.

    Example:

    ```python
    train = text_dataset_from_directory("aclImdb/train", batch_size=64, seed=1,
                                        validation_split=0.2, subset="training")
    for texts, labels in train.take(1):
        print(texts[0], labels[0])
    ```
    """
    dataset_utils.check_labels_args(labels, label_mode, class_names, "text")
    dataset_utils.check_format(format)
    if max_length is not None and (not isinstance(max_length, int) or max_length < 0):
        raise ValueError(f"`max_length` must be a non-negative integer or None. Received: max_length={max_length!r}")
    if labels is None or label_mode is None:
        labels, label_mode = None, None

    def load(path):
        with open(path, "rb") as f:
            data = f.read() if max_length is None else f.read(max_length)
        return data.decode("utf-8", errors="ignore" if max_length is not None else "strict")

    return dataset_utils.directory_datasets(
        directory, labels, label_mode, class_names, batch_size, shuffle, seed, validation_split, subset,
        follow_links, verbose, (".txt",), "text files", load)
