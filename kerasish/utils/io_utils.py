"""Where kerasish's messages go: stdout, or Python's `logging` when interactive logging is off
(`kerasish.config.disable_interactive_logging()`, for servers and batch jobs)."""

import logging
import sys

from kerasish.backend import config

logger = logging.getLogger("kerasish")


def print_msg(message, line_break=True):
    """Prints `message` (to stdout, or logs it at INFO level when interactive logging is off)."""
    if config.is_interactive_logging_enabled():
        sys.stdout.write(message + ("\n" if line_break else ""))
        sys.stdout.flush()
    else:
        logger.info(message)


# Also reachable as `kerasish.utils.*_interactive_logging`, as in Keras.
enable_interactive_logging = config.enable_interactive_logging
disable_interactive_logging = config.disable_interactive_logging
is_interactive_logging_enabled = config.is_interactive_logging_enabled
