"""Errors and warnings that point at the user's code, not at kerasish's insides.

Keras 3 filters its own frames out of the tracebacks of exceptions raised by `fit`, `evaluate`,
`predict` (and layer calls): what is left is the user's line and the message. kerasish does the
same for its loops (`filter_traceback`), switched off like Keras's by
`kerasish.config.disable_traceback_filtering()`. Torch errors that kerasish
translates into a Keras message are raised `from None`, so the message is not preceded by the
torch error it replaces.

A warning raised deep inside a loop (a renamed argument, an exhausted generator) names the first
frame outside kerasish (`user_stacklevel`), however many kerasish frames lie in between.
"""

import os
import sys
import traceback
import types
from functools import wraps

from kerasish.backend import config

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _internal(filename):
    return filename.startswith(_PACKAGE_DIR)


# torch's `nn.Module.__call__` dispatch: every layer call passes through it.
_MODULE_DISPATCH = os.path.join("torch", "nn", "modules", "module.py")


def _hidden(filename):
    return _internal(filename) or filename.endswith(_MODULE_DISPATCH)


def _filtered(tb):
    """A new traceback without kerasish's frames nor torch's module-call dispatch."""
    frames = list(traceback.walk_tb(tb))
    kept = None
    for frame, lineno in reversed(frames):
        if not _hidden(frame.f_code.co_filename):
            kept = types.TracebackType(kept, frame, frame.f_lasti, lineno)
    return kept


def filter_traceback(fn):
    """Decorator: exceptions leaving `fn` lose their kerasish frames (the cause chain is kept)."""

    @wraps(fn)
    def error_handler(*args, **kwargs):
        if not config.is_traceback_filtering_enabled():
            return fn(*args, **kwargs)
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            raise e.with_traceback(_filtered(e.__traceback__))

    return error_handler


def user_stacklevel():
    """The `stacklevel` for `warnings.warn` (called by the caller of this function) that makes a
    warning name the innermost frame outside kerasish: the user's line."""
    frame = sys._getframe(1)  # the function about to call warnings.warn: stacklevel 1
    level = 1
    while frame is not None and _internal(frame.f_code.co_filename):
        frame = frame.f_back
        level += 1
    return level
