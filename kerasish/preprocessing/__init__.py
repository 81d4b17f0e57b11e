"""`kerasish.preprocessing`: Keras 2's `sequence`, `text` and `image` preprocessing utilities, plus the
dataset builders `image_dataset_from_directory`, `text_dataset_from_directory` and
`timeseries_dataset_from_array` (also in `kerasish.utils`)."""

from kerasish.preprocessing import image, sequence, text  # noqa: F401
from kerasish.utils.dataset_utils import (  # noqa: F401
    image_dataset_from_directory, text_dataset_from_directory, timeseries_dataset_from_array,
)
