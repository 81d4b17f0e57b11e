"""Every op kerasish exports is one of Keras's, and has at least one parity case."""

from tests.ops.test_ops_parity import CASES


def _public(module):
    return {n for n in getattr(module, "__all__", dir(module)) if not n.startswith("_")}


def test_exported_ops_are_keras_ops_with_cases(keras):
    import kerasish.ops as ours

    covered = {(c.module, c.op) for c in CASES}
    families = [(None, ours, keras.ops)] + [
        (name, getattr(ours, name), getattr(keras.ops, name)) for name in ("nn", "linalg", "image")
    ]
    for module, mine, theirs in families:
        names = _public(mine) - {"core", "einops", "image", "linalg", "math", "nn", "numpy"}
        unknown = sorted(n for n in names if not hasattr(theirs, n))
        assert not unknown, f"ops{'.' + module if module else ''} exports non-Keras names {unknown}"
    top = _public(ours) - {"core", "einops", "image", "linalg", "math", "nn", "numpy"}
    image = _public(ours.image)
    # Ops whose result is not a value to compare (a decorated function) have dedicated tests.
    tested_elsewhere = {"custom_gradient"}  # tests/ops/test_core_extra.py, against Keras too
    untested = sorted(n for n in top if (None, n) not in covered and n not in tested_elsewhere
                      and not _covered_elsewhere(n, covered))
    untested += sorted(f"image.{n}" for n in image if ("image", n) not in covered)
    assert not untested, f"ops without a parity case: {untested}"


def _covered_elsewhere(name, covered):
    # Ops also reachable through a family module (ops.nn.relu is ops.relu) may be tested there.
    return any(op == name for _, op in covered)
