"""Writes the Keras 2 optimizer goldens: `lr`/`decay` trajectories of tf-keras's legacy optimizers.

Keras 3 dropped `decay` (inverse-time decay per step) and the `lr` alias, so real Keras 3 cannot be
the reference for them; tf-keras 2.x can. This script makes a virtual environment with TensorFlow
(CPU) and tf-keras, runs each legacy optimizer for `STEPS` steps on fixed weights and gradients,
and writes `tests/goldens/optimizers_keras2.npz` (inputs and trajectories) and
`tests/goldens/optimizers_keras2.json` (the cases). `tests/optimizers/test_keras2_goldens.py`
compares kerasish against them.

Usage:

```
python tools/make_optimizer_goldens.py            # makes /tmp/tfenv if needed
python tools/make_optimizer_goldens.py --venv DIR
```
"""

import argparse
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(REPO, "tests", "goldens")
STEPS = 20
SHAPES = [(4, 3), (3,)]

# (case id, legacy class name, keyword arguments in Keras 2 spelling)
CASES = [
    ("sgd_tutorial", "SGD", {"lr": 0.01, "decay": 1e-6, "momentum": 0.9, "nesterov": True}),
    ("sgd_decay", "SGD", {"lr": 0.1, "decay": 0.05}),
    ("sgd_momentum_decay", "SGD", {"lr": 0.05, "decay": 0.1, "momentum": 0.8}),
    ("rmsprop_decay", "RMSprop", {"lr": 0.01, "decay": 0.05}),
    ("rmsprop_centered_decay", "RMSprop", {"lr": 0.01, "decay": 0.05, "centered": True,
                                           "momentum": 0.5}),
    ("adam_decay", "Adam", {"lr": 0.01, "decay": 0.05}),
    ("adam_amsgrad_decay", "Adam", {"lr": 0.01, "decay": 0.02, "amsgrad": True}),
    ("adagrad_decay", "Adagrad", {"lr": 0.1, "decay": 0.05}),
]

# Runs inside the TensorFlow environment: reads the cases as JSON on stdin, writes the npz.
_WORKER = r'''
import json, sys
import numpy as np
import tf_keras
import tensorflow as tf

spec = json.load(sys.stdin)
rng = np.random.default_rng(2024)
shapes = [tuple(s) for s in spec["shapes"]]
init = [rng.normal(size=s).astype("float32") for s in shapes]
grads = [[(rng.normal(size=s) * 2.0).astype("float32") for s in shapes]
         for _ in range(spec["steps"])]
arrays = {f"init_{i}": w for i, w in enumerate(init)}
arrays.update({f"grad_{i}": np.stack([g[i] for g in grads]) for i in range(len(shapes))})
for case_id, cls_name, kwargs in spec["cases"]:
    opt = getattr(tf_keras.optimizers.legacy, cls_name)(**kwargs)
    variables = [tf.Variable(w) for w in init]
    trajectory = []
    for step_grads in grads:
        opt.apply_gradients(zip([tf.constant(g) for g in step_grads], variables))
        trajectory.append(np.concatenate([v.numpy().ravel() for v in variables]))
    arrays[f"{case_id}_trajectory"] = np.stack(trajectory)
arrays["versions"] = np.array([tf.__version__, tf_keras.__version__])
np.savez_compressed(spec["out"], **arrays)
'''


def ensure_venv(venv):
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    probe = subprocess.run([python, "-c", "import tensorflow, tf_keras"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run([python, "-m", "pip", "install", "-q", "tensorflow-cpu", "tf-keras"],
                       check=True)
    return python


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", default="/tmp/tfenv")
    args = parser.parse_args()
    python = ensure_venv(args.venv)
    os.makedirs(OUT_DIR, exist_ok=True)
    npz = os.path.join(OUT_DIR, "optimizers_keras2.npz")
    spec = {"cases": CASES, "shapes": SHAPES, "steps": STEPS, "out": npz}
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="")
    subprocess.run([python, "-c", _WORKER], input=json.dumps(spec), text=True, check=True, env=env)
    with open(os.path.join(OUT_DIR, "optimizers_keras2.json"), "w") as f:
        json.dump({"steps": STEPS, "shapes": SHAPES,
                   "cases": [{"id": c, "class_name": n, "kwargs": k} for c, n, k in CASES]},
                  f, indent=1)
    print(f"wrote {npz}")


if __name__ == "__main__":
    main()
