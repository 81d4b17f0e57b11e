"""`kerasish.models`: `Model`, `Sequential` and model (de)serialization."""

from kerasish.models.model import Model  # noqa: F401
from kerasish.models.sequential import Sequential  # noqa: F401
from kerasish.models.cloning import clone_model  # noqa: F401
from kerasish.saving.saving_api import load_model, save_model  # noqa: F401
from kerasish.saving.serialization import model_from_config, model_from_json  # noqa: F401
