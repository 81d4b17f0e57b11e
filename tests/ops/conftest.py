"""Fixtures of the ops parity tests.

`keras` here skips the top-level fixture's `keras.utils.clear_session()`: ops keep no session state,
and its `gc.collect()` costs about a second per case on this machine (thousands of cases).
"""

import pytest


@pytest.fixture
def keras():
    """Real Keras 3 on the torch backend (the parity reference), without a session reset."""
    import keras as real_keras

    if real_keras.backend.backend() != "torch":
        pytest.fail("Parity tests need Keras on the torch backend: set KERAS_BACKEND=torch before "
                    "keras is imported.")
    return real_keras
