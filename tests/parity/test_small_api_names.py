"""Names Keras 3.15 added or kept as aliases: they resolve to the same objects and give Keras's
numbers (issue 18)."""

import numpy as np

import kerasish
from tests.conftest import assert_close


def test_initializer_aliases_are_the_keras_classes(keras):
    assert kerasish.initializers.IdentityInitializer is kerasish.initializers.Identity
    assert kerasish.initializers.OrthogonalInitializer is kerasish.initializers.Orthogonal
    ours = kerasish.initializers.IdentityInitializer(gain=2.5)((3, 4)).numpy()
    ref = keras.ops.convert_to_numpy(keras.initializers.IdentityInitializer(gain=2.5)((3, 4)))
    np.testing.assert_array_equal(ours, ref)
    q = kerasish.initializers.OrthogonalInitializer(gain=1.0, seed=3)((6, 6)).numpy()
    assert_close(q @ q.T, np.eye(6), atol=1e-5)
    config = kerasish.initializers.serialize(kerasish.initializers.OrthogonalInitializer(seed=1))
    assert config["class_name"] == keras.initializers.serialize(keras.initializers.OrthogonalInitializer(seed=1))["class_name"]


def test_mixed_precision_policy_is_dtype_policy(keras):
    policy = kerasish.mixed_precision.Policy("mixed_bfloat16")
    ref = keras.mixed_precision.Policy("mixed_bfloat16")
    assert isinstance(policy, kerasish.mixed_precision.DTypePolicy)
    assert (policy.name, policy.variable_dtype, policy.compute_dtype) == (
        ref.name, ref.variable_dtype, ref.compute_dtype)


def test_sparse_sigmoid_by_name(keras):
    x = np.linspace(-2, 2, 9).astype("float32")
    ours = kerasish.activations.get("sparse_sigmoid")(kerasish.backend.convert_to_tensor(x))
    ref = keras.activations.sparse_sigmoid(keras.ops.convert_to_tensor(x))
    assert_close(ours.numpy(), keras.ops.convert_to_numpy(ref))
    assert kerasish.activations.serialize(kerasish.activations.sparse_sigmoid) == "sparse_sigmoid"
