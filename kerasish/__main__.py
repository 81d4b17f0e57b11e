"""`python -m kerasish script.py [args...]`: runs a Keras script on kerasish, unchanged.

The script's `import keras`, `from keras.layers.core import Dense`, `from tensorflow import keras` and
`tf.keras.*` resolve to kerasish (see `kerasish.compat`). Everything else behaves as with
`python script.py`: `sys.argv`, `__name__ == "__main__"`, `sys.path[0]` (the script's folder), exit
codes and tracebacks (which start at the script, not at this runner).

`python -m kerasish -m package.module [args...]` runs a module the same way.
"""

import os
import runpy
import sys
import traceback

_USAGE = """usage: python -m kerasish script.py [args ...]
       python -m kerasish -m module [args ...]

Runs a Keras script with `keras`, `tensorflow.keras` and Keras 2 module paths resolved to kerasish."""


def _print_script_traceback(exc, script_path):
    """Prints the traceback from the script's first frame on, as `python script.py` would."""
    tb = exc.__traceback__
    while tb is not None and os.path.abspath(tb.tb_frame.f_code.co_filename) != script_path:
        tb = tb.tb_next
    traceback.print_exception(type(exc), exc, tb if tb is not None else exc.__traceback__)


def _run(target, as_module):
    from kerasish.compat import install

    install()
    if as_module:
        sys.path.insert(0, os.getcwd())
        runpy.run_module(target, run_name="__main__", alter_sys=True)
        return
    script_path = os.path.abspath(target)
    if not os.path.isfile(script_path):
        print(f"{sys.executable}: can't open file {script_path!r}: [Errno 2] No such file or directory",
              file=sys.stderr)
        raise SystemExit(2)
    # As `python script.py` does: the script's folder comes first on the import path.
    sys.path.insert(0, os.path.dirname(script_path))
    try:
        runpy.run_path(script_path, run_name="__main__")
    except (SystemExit, KeyboardInterrupt):
        raise
    except BaseException as exc:  # noqa: BLE001 - reported like the interpreter, then exit 1
        _print_script_traceback(exc, script_path)
        raise SystemExit(1) from None


def main(argv=None):
    """Entry point. `argv` is the arguments after `python -m kerasish`."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(_USAGE, file=sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    if argv[0] == "--version":
        from kerasish import __version__

        print(f"kerasish {__version__}")
        return 0
    as_module = argv[0] == "-m"
    if as_module:
        if len(argv) < 2:
            print("Argument expected for the -m option\n" + _USAGE, file=sys.stderr)
            return 2
        argv = argv[1:]
    sys.argv = argv
    _run(argv[0], as_module)
    return 0


if __name__ == "__main__":
    sys.exit(main())
