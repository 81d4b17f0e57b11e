"""`Node` lives on the ground floor (`kerasish.ops.node`); re-exported here for old imports."""

from kerasish.ops.node import Node, flatten  # noqa: F401
