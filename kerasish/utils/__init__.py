"""`kerasish.utils`: `to_categorical`, `normalize`, `set_random_seed`, and more."""

from kerasish.utils.numerical_utils import normalize, to_categorical  # noqa: F401
from kerasish.utils.random import get_random_seed, set_random_seed  # noqa: F401
from kerasish.utils.model_visualization import model_to_dot, plot_model  # noqa: F401
from kerasish.utils.sequence import PyDataset, Sequence  # noqa: F401
from kerasish.saving.object_registration import (  # noqa: F401
    custom_object_scope, get_custom_objects, register_keras_serializable, CustomObjectScope,
)
from kerasish.utils.file_utils import get_file, hash_file, validate_file  # noqa: F401,E402
from kerasish.utils.progbar import Progbar  # noqa: F401,E402
from kerasish.utils.image_utils import array_to_img, img_to_array, load_img, save_img  # noqa: F401,E402
from kerasish.utils.dataset import Dataset  # noqa: F401,E402
from kerasish.utils.dataset_utils import (  # noqa: F401,E402
    audio_dataset_from_directory, image_dataset_from_directory, split_dataset, text_dataset_from_directory,
    timeseries_dataset_from_array,
)
from kerasish.preprocessing.sequence import pad_sequences  # noqa: F401,E402
from kerasish.utils.data_utils import (  # noqa: F401,E402
    get_source_inputs, pack_x_y_sample_weight, unpack_x_y_sample_weight,
)
from kerasish.utils.io_utils import (  # noqa: F401,E402
    disable_interactive_logging, enable_interactive_logging, is_interactive_logging_enabled,
)
from kerasish.saving.serialization import (  # noqa: F401,E402
    deserialize_keras_object, serialize_keras_object,
)
from kerasish.saving.object_registration import (  # noqa: F401,E402
    get_registered_name, get_registered_object,
)
from kerasish.backend import clear_session, is_keras_tensor  # noqa: F401,E402
from kerasish.backend.dtypes import standardize_dtype  # noqa: F401,E402
from kerasish.utils.config import Config  # noqa: F401,E402
from kerasish.utils import legacy  # noqa: F401,E402


def __getattr__(name):
    # Imported on first use: the bounding-box helpers live with the image layers, which import
    # the activations that import this package.
    if name == "bounding_boxes":
        import importlib

        return importlib.import_module("kerasish.utils.bounding_boxes")
    if name == "FeatureSpace":  # built on the layers, which import this package
        from kerasish.utils.feature_space import FeatureSpace

        return FeatureSpace
    raise AttributeError(f"module 'kerasish.utils' has no attribute {name!r}")
