"""Compatibility with older Keras: argument names, module paths and import aliasing."""
