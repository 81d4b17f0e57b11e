"""Merging layers: combine a list of tensors (`Add`, `Concatenate`, `Dot`, ...) and their
functional forms (`add`, `concatenate`, `dot`, ...)."""

from kerasish.layers.merging.add import Add, add  # noqa: F401
from kerasish.layers.merging.average import Average, average  # noqa: F401
from kerasish.layers.merging.base_merge import Merge  # noqa: F401
from kerasish.layers.merging.concatenate import Concatenate, concatenate  # noqa: F401
from kerasish.layers.merging.dot import Dot, dot  # noqa: F401
from kerasish.layers.merging.maximum import Maximum, maximum  # noqa: F401
from kerasish.layers.merging.minimum import Minimum, minimum  # noqa: F401
from kerasish.layers.merging.multiply import Multiply, multiply  # noqa: F401
from kerasish.layers.merging.subtract import Subtract, subtract  # noqa: F401
