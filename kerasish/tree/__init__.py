"""`kerasish.tree`: Keras 3's nested-structure utilities (`keras.tree`)."""

from kerasish.tree.tree_api import *  # noqa: F401,F403
from kerasish.tree.tree_api import __all__, register_tree_node_class  # noqa: F401
