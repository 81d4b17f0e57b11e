"""`kerasish.models`: `Model`, `Sequential` and model (de)serialization."""

from kerasish.models.model import Model  # noqa: F401
from kerasish.models.sequential import Sequential  # noqa: F401
