"""The graph helpers moved to the ground floor (`kerasish.ops.graph`); re-exported for old imports."""

from kerasish.ops.graph import *  # noqa: F401,F403
from kerasish.ops.graph import _traverse  # noqa: F401
