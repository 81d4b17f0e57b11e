"""`OrbaxCheckpoint`: refused. Keras 3.15's callback writes checkpoints with Orbax, a JAX library
(its tensors are JAX arrays, its format is Orbax's); there is no torch path to build it on."""


class OrbaxCheckpoint:
    """Not available in kerasish: Keras's `OrbaxCheckpoint` needs Orbax and JAX.

    Use `kerasish.callbacks.ModelCheckpoint` (`.keras` or `.weights.h5` files, which Keras reads)
    or `BackupAndRestore` instead.

    Example:

    >>> keras.callbacks.OrbaxCheckpoint("checkpoints")
    Traceback (most recent call last):
        ...
    NotImplementedError: OrbaxCheckpoint writes Orbax checkpoints, which need JAX ...
    """

    _kerasish_unsupported = "needs JAX and Orbax"

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            "OrbaxCheckpoint writes Orbax checkpoints, which need JAX and the Orbax library; "
            "kerasish runs on PyTorch and does not provide it. Use "
            "kerasish.callbacks.ModelCheckpoint (`.keras` / `.weights.h5` files Keras reads) or "
            f"BackupAndRestore. Received: args={args!r}, kwargs={kwargs!r}")
