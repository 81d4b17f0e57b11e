"""`compile(jit_compile=True)`: the train/test/predict steps run through `torch.compile`.

Compilation happens on the first call. If it fails — an unsupported construct, a missing compiler
toolchain — the step falls back to eager execution with one warning and training goes on: a
compiled step never costs the user a crash. Set `KERASISH_COMPILE_BACKEND` to choose the
`torch.compile` backend (default `"inductor"`).
"""

import os
import warnings

import torch

from kerasish.backend.traceback_utils import user_stacklevel


def compile_step(step, kind):
    """A callable that runs `step(*args)` compiled, or eagerly once compilation has failed."""
    backend = os.environ.get("KERASISH_COMPILE_BACKEND", "inductor")
    state = {"fn": None, "failed": False}

    def run(*data):
        if state["failed"]:
            return step(*data)
        if state["fn"] is None:
            try:
                state["fn"] = torch.compile(step, backend=backend, dynamic=None)
            except Exception as e:  # torch.compile itself can refuse (e.g. unsupported Python)
                return _fall_back(state, step, data, kind, e)
        try:
            return state["fn"](*data)
        except Exception as e:
            if _is_compile_error(e):
                return _fall_back(state, step, data, kind, e)
            raise

    run.is_compiled = lambda: state["fn"] is not None and not state["failed"]
    return run


def _is_compile_error(e):
    # Errors raised by Dynamo/Inductor while tracing or compiling, as opposed to the user's own
    # errors (bad shapes, bad data), which must propagate as they would eagerly.
    module = type(e).__module__ or ""
    return module.startswith(("torch._dynamo", "torch._inductor", "torch.fx", "torch._subclasses")) \
        or "BackendCompilerFailed" in type(e).__name__ or "Unsupported" in type(e).__name__


def _fall_back(state, step, data, kind, error):
    state["failed"] = True
    warnings.warn(
        f"jit_compile: the {kind} step could not be compiled with torch.compile and runs eagerly "
        f"instead ({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}).",
        RuntimeWarning,
        stacklevel=user_stacklevel(),
    )
    return step(*data)
