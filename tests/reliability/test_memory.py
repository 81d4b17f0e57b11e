"""Long runs do not grow memory: 30 epochs of `fit`, 2,000 single-sample `predict` calls.

Resident memory (VmRSS) is read after a warm-up, and again at the end. The bounds are far below
what a per-call leak of the objects involved would add (an input row is 16 KiB, a weight copy
4 MiB: 2,000 leaked rows are 31 MiB), and a control test checks that the same measurement does
see a leak of that size.
"""

import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")

PREDICT_BOUND_MIB = 12
FIT_BOUND_MIB = 12

# Each measurement runs in a fresh process: in a test worker that has already freed memory the
# allocator reuses those pages, and a real leak would not show in RSS.
_SETUP = textwrap.dedent("""
    import gc, sys
    import numpy as np
    import kerasish

    FEATURES = 4096

    def rss_mib():
        gc.collect()
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024

    def model():
        m = kerasish.Sequential([kerasish.Input((FEATURES,)),
                                 kerasish.layers.Dense(256, activation="relu"),
                                 kerasish.layers.Dense(10, activation="softmax")])
        m.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        return m

    def predict_growth(calls, keep=None):
        m = model()
        row = np.random.default_rng(0).random((1, FEATURES), dtype=np.float32)
        for _ in range(50):
            m.predict(row, verbose=0)
        before = rss_mib()
        for _ in range(calls):
            out = m.predict(row, verbose=0)
            if keep is not None:
                keep.append(np.array(row))  # the control: what a per-call leak of the input adds
        assert out.shape == (1, 10)
        return rss_mib() - before
""")


def _measure(body):
    env = dict(os.environ, KERASISH_DEVICE="cpu", OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", _SETUP + textwrap.dedent(body)], env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    return float(out.stdout.strip().splitlines()[-1])


def test_single_sample_predict_does_not_grow_memory():
    growth = _measure("print(predict_growth(2000))")
    assert growth < PREDICT_BOUND_MIB, f"RSS grew by {growth:.1f} MiB over 2,000 predict calls"


def test_the_measurement_sees_a_leak_of_one_input_per_call():
    growth = _measure("kept = []\nprint(predict_growth(2000, keep=kept))")
    assert growth > PREDICT_BOUND_MIB, f"a 31 MiB leak showed as {growth:.1f} MiB"


def test_thirty_epochs_of_fit_do_not_grow_memory():
    growth = _measure("""
        rng = np.random.default_rng(0)
        x = rng.random((512, FEATURES), dtype=np.float32)
        y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 512)]
        m = model()
        m.fit(x, y, epochs=3, batch_size=64, validation_split=0.25, verbose=0)  # warm-up
        before = rss_mib()
        history = m.fit(x, y, epochs=30, batch_size=64, validation_split=0.25, verbose=0)
        assert len(history.history["loss"]) == 30
        print(rss_mib() - before)
    """)
    assert growth < FIT_BOUND_MIB, f"RSS grew by {growth:.1f} MiB over 30 epochs"
