"""Writes the Keras 2 optimizer goldens: trajectories of tf-keras's legacy optimizers.

Keras 3 dropped `decay` (inverse-time decay per step) and the `lr` alias, and changed some update
rules (RMSprop without momentum and Adagrad put epsilon inside the square root, Keras 2 outside it;
Nadam's momentum schedule lost its `schedule_decay`), so real Keras 3 cannot be the reference for
Keras 2 scripts; tf-keras 2.x (`tf_keras.optimizers.legacy`) can. This script makes a virtual
environment with TensorFlow (CPU) and tf-keras, and writes:

- `tests/goldens/optimizers_keras2.npz` / `.json`: each legacy optimizer run for `STEPS` steps on
  fixed weights and gradients (one variable gets gradients of ~1e-3, where epsilon's placement
  shows), with and without `decay`. `tests/optimizers/test_keras2_goldens.py` compares kerasish.
- `tests/goldens/h5/legacy_opt_<name>.h5` / `.npz`: a small model compiled with each legacy
  optimizer (Keras 2 arguments), trained `H5_STEPS` full-batch steps and saved, then the weights
  after `H5_STEPS` more steps. `tests/reliability/test_keras2_optimizers.py` loads the file in
  kerasish, trains the same steps and compares.

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
SHAPES = [(4, 3), (3,), (5,)]
GRAD_SCALES = [2.0, 2.0, 1e-3]  # the last variable's squared gradients are near epsilon
H5_STEPS = 3

# (case id, legacy class name, keyword arguments in Keras 2 spelling). Cases spelled with
# `learning_rate=` only are Keras 2 only through `optimizers.legacy`.
CASES = [
    ("sgd_tutorial", "SGD", {"lr": 0.01, "decay": 1e-6, "momentum": 0.9, "nesterov": True}),
    ("sgd_decay", "SGD", {"lr": 0.1, "decay": 0.05}),
    ("sgd_momentum_decay", "SGD", {"lr": 0.05, "decay": 0.1, "momentum": 0.8}),
    ("sgd_lr", "SGD", {"lr": 0.05, "momentum": 0.9}),
    ("rmsprop_lr", "RMSprop", {"lr": 0.01}),
    ("rmsprop_decay", "RMSprop", {"lr": 0.01, "decay": 0.05}),
    ("rmsprop_centered_lr", "RMSprop", {"lr": 0.01, "centered": True}),
    ("rmsprop_momentum_decay", "RMSprop", {"lr": 0.01, "decay": 0.05, "momentum": 0.9}),
    ("rmsprop_centered_decay", "RMSprop", {"lr": 0.01, "decay": 0.05, "centered": True,
                                           "momentum": 0.5}),
    ("rmsprop_legacy", "RMSprop", {"learning_rate": 0.01, "rho": 0.8}),
    ("adam_lr", "Adam", {"lr": 0.01}),
    ("adam_decay", "Adam", {"lr": 0.01, "decay": 0.05}),
    ("adam_amsgrad_decay", "Adam", {"lr": 0.01, "decay": 0.02, "amsgrad": True}),
    ("adam_legacy", "Adam", {"learning_rate": 0.01, "epsilon": 1e-4}),
    ("adagrad_lr", "Adagrad", {"lr": 0.1}),
    ("adagrad_decay", "Adagrad", {"lr": 0.1, "decay": 0.05}),
    ("adagrad_legacy", "Adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.0}),
    ("adadelta_lr", "Adadelta", {"lr": 1.0}),
    ("adadelta_decay", "Adadelta", {"lr": 1.0, "decay": 0.05, "rho": 0.9}),
    ("adamax_lr", "Adamax", {"lr": 0.01}),
    ("adamax_decay", "Adamax", {"lr": 0.01, "decay": 0.05}),
    ("nadam_lr", "Nadam", {"lr": 0.01}),
    # tf-keras's legacy Nadam replaces `decay` by `schedule_decay` (its momentum schedule): the
    # learning rate is not decayed.
    ("nadam_decay", "Nadam", {"lr": 0.01, "decay": 0.05}),
    ("nadam_schedule_decay", "Nadam", {"lr": 0.01, "schedule_decay": 0.1}),
    ("nadam_legacy", "Nadam", {"learning_rate": 0.01}),
    # tf-keras's legacy Ftrl ignores `lr` (it reads only `learning_rate`), so it is spelled so.
    ("ftrl_decay", "Ftrl", {"learning_rate": 0.1, "decay": 0.05, "l1_regularization_strength": 0.01,
                            "l2_regularization_strength": 0.01}),
    ("ftrl_shrinkage_decay", "Ftrl", {"learning_rate": 0.1, "decay": 0.05, "beta": 0.5,
                                      "l2_shrinkage_regularization_strength": 0.01}),
    ("ftrl_legacy", "Ftrl", {"learning_rate": 0.1, "learning_rate_power": -0.3}),
]

# (file name, legacy class name, keyword arguments): a compiled model saved to legacy `.h5`.
H5_CASES = [
    ("sgd", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "decay": 0.01}),
    ("rmsprop", "RMSprop", {"lr": 0.01, "decay": 0.01}),
    ("adam", "Adam", {"lr": 0.01, "decay": 0.01, "amsgrad": True}),
    ("adagrad", "Adagrad", {"lr": 0.1, "decay": 0.01}),
    ("adadelta", "Adadelta", {"lr": 1.0, "decay": 0.01}),
    ("adamax", "Adamax", {"lr": 0.01, "decay": 0.01}),
    ("nadam", "Nadam", {"lr": 0.01}),
    ("ftrl", "Ftrl", {"learning_rate": 0.1, "decay": 0.01}),
]

# Runs inside the TensorFlow environment: reads the cases as JSON on stdin, writes the files.
_WORKER = r'''
import json, os, sys
import numpy as np
import tf_keras
import tensorflow as tf

spec = json.load(sys.stdin)
rng = np.random.default_rng(2024)
shapes = [tuple(s) for s in spec["shapes"]]
init = [rng.normal(size=s).astype("float32") for s in shapes]
grads = [[(rng.normal(size=s) * scale).astype("float32")
          for s, scale in zip(shapes, spec["grad_scales"])] for _ in range(spec["steps"])]
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

for name, cls_name, kwargs in spec["h5_cases"]:
    tf_keras.utils.set_random_seed(0)
    x = rng.normal(size=(16, 4)).astype("float32")
    y = rng.normal(size=(16, 2)).astype("float32")
    model = tf_keras.Sequential([tf_keras.layers.Dense(5, activation="tanh", input_shape=(4,)),
                                 tf_keras.layers.Dense(2)])
    model.compile(optimizer=getattr(tf_keras.optimizers.legacy, cls_name)(**kwargs), loss="mse")
    model.fit(x, y, batch_size=16, epochs=spec["h5_steps"], shuffle=False, verbose=0)
    model.save(os.path.join(spec["h5_dir"], f"legacy_opt_{name}.h5"))
    model.fit(x, y, batch_size=16, epochs=spec["h5_steps"], shuffle=False, verbose=0)
    after = {f"after_{i}": w for i, w in enumerate(model.get_weights())}
    np.savez(os.path.join(spec["h5_dir"], f"legacy_opt_{name}.npz"), x=x, y=y, **after)
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
    h5_dir = os.path.join(OUT_DIR, "h5")
    os.makedirs(h5_dir, exist_ok=True)
    spec = {"cases": CASES, "shapes": SHAPES, "grad_scales": GRAD_SCALES, "steps": STEPS,
            "out": npz, "h5_cases": H5_CASES, "h5_steps": H5_STEPS, "h5_dir": h5_dir}
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="", TF_USE_LEGACY_KERAS="1",
               PYTHONHASHSEED="0")
    subprocess.run([python, "-c", _WORKER], input=json.dumps(spec), text=True, check=True, env=env)
    with open(os.path.join(OUT_DIR, "optimizers_keras2.json"), "w") as f:
        json.dump({"steps": STEPS, "shapes": SHAPES, "grad_scales": GRAD_SCALES, "h5_steps": H5_STEPS,
                   "h5_cases": [{"id": c, "class_name": n, "kwargs": k} for c, n, k in H5_CASES],
                   "cases": [{"id": c, "class_name": n, "kwargs": k} for c, n, k in CASES]},
                  f, indent=1)
    print(f"wrote {npz}")


if __name__ == "__main__":
    main()
