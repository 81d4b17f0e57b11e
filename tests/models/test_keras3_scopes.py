"""Keras 3's StatelessScope, SymbolicScope and RematScope, and `remat` with the training flag."""

import threading

import numpy as np
import pytest
import torch

import kerasish

X = np.ones((2, 3), "float32")


def _dense(lib):
    layer = lib.layers.Dense(2)
    layer(X)
    layer.set_weights([np.full((3, 2), 0.5, "float32"), np.zeros((2,), "float32")])
    return layer


def test_stateless_scope_reads_the_mapping_and_collects_assignments(keras):
    results = []
    for lib in (kerasish, keras):
        layer = _dense(lib)
        mapping = [(w, lib.ops.ones(w.shape)) for w in layer.weights]
        with lib.StatelessScope(mapping) as scope:
            out = layer(X)
            layer.kernel.assign(lib.ops.zeros((3, 2)))
            layer.bias.assign_add(lib.ops.ones((2,)))
        results.append((np.asarray(out.detach() if hasattr(out, "detach") else out),
                        np.asarray(scope.get_current_value(layer.kernel)),
                        np.asarray(scope.get_current_value(layer.bias)),
                        layer.get_weights(), np.asarray(layer(X).detach())))
    ours, ref = results
    for a, b in zip(ours[:3], ref[:3]):
        np.testing.assert_allclose(a, b)
    for a, b in zip(ours[3], ref[3]):
        np.testing.assert_allclose(a, b)  # the variables themselves were not written
    np.testing.assert_allclose(ours[4], ref[4])


def test_stateless_scope_gradients_flow_to_the_mapped_values():
    layer = _dense(kerasish)
    value = torch.ones((3, 2), requires_grad=True)
    with kerasish.StatelessScope([(layer.kernel, value)]):
        layer(X).sum().backward()
    assert value.grad is not None and layer.kernel.grad is None
    np.testing.assert_allclose(value.grad.numpy(), np.full((3, 2), 2.0))


def test_stateless_scope_is_per_thread():
    layer = _dense(kerasish)
    inside, other = threading.Event(), []

    def read_elsewhere():
        inside.wait()
        other.append(layer(X).detach().numpy())

    thread = threading.Thread(target=read_elsewhere)
    thread.start()
    with kerasish.StatelessScope([(layer.kernel, torch.zeros((3, 2)))]):
        inside.set()
        thread.join()
        np.testing.assert_allclose(layer(X).detach().numpy(), 0.0)
    np.testing.assert_allclose(other[0], 1.5)


def test_stateless_scope_refuses_bad_mappings(keras):
    layer = _dense(kerasish)
    with pytest.raises(ValueError, match="must be Variable"):
        kerasish.StatelessScope([(torch.zeros(2), torch.zeros(2))])
    with pytest.raises(ValueError, match="shape"):
        kerasish.StatelessScope([(layer.kernel, torch.zeros(2))])


def test_symbolic_scope_marks_the_thread(keras):
    from kerasish.backend import state_scopes

    assert not state_scopes.in_symbolic_scope()
    with kerasish.SymbolicScope():
        assert state_scopes.in_symbolic_scope()
    assert not state_scopes.in_symbolic_scope()
    assert hasattr(keras, "SymbolicScope")


def test_remat_scope_modes_and_validation(keras):
    with pytest.raises(ValueError, match="Invalid mode"):
        kerasish.RematScope(mode="sometimes")
    with pytest.raises(ValueError, match="Invalid mode"):
        keras.RematScope(mode="sometimes")
    with kerasish.RematScope(mode="list_of_layers", layer_names=["a"]):
        inside = kerasish.layers.Dense(2, name="a")
    outside = kerasish.layers.Dense(2, name="b")
    assert inside._remat_mode.mode == "list_of_layers" and outside._remat_mode is None


@pytest.mark.parametrize("mode", ["full", "activations", "larger_than", "list_of_layers"])
def test_remat_scope_gives_the_same_gradients(mode):
    def grads(scope):
        kerasish.utils.set_random_seed(5)
        with scope:
            model = kerasish.Sequential([kerasish.Input((3,)), kerasish.layers.Dense(8, activation="relu", name="a"),
                                         kerasish.layers.Dropout(0.3), kerasish.layers.Dense(1, name="b")])
        model.set_weights([np.linspace(-1, 1, w.size, dtype="float32").reshape(w.shape) for w in model.get_weights()])
        torch.manual_seed(0)
        kerasish.utils.set_random_seed(7)
        model(np.ones((4, 3), "float32"), training=True).sum().backward()
        return [p.grad.clone() for p in model.parameters()]

    plain = grads(kerasish.RematScope(mode=None))
    remat = grads(kerasish.RematScope(mode=mode, output_size_threshold=4, layer_names=["a", "b"]))
    for a, b in zip(plain, remat):
        torch.testing.assert_close(a, b)


class _Block(kerasish.layers.Layer):
    def __init__(self, use_remat, **kwargs):
        super().__init__(**kwargs)
        self.dense = kerasish.layers.Dense(16)
        self.drop = kerasish.layers.Dropout(0.5)
        self.use_remat = use_remat

    def call(self, x, training=None):
        block = lambda t: self.drop(self.dense(t))  # noqa: E731
        return (kerasish.remat(block) if self.use_remat else block)(x)


def test_remat_recomputes_dropout_with_the_forward_training_flag():
    grads = []
    for use_remat in (False, True):
        block = _Block(use_remat)
        block(torch.ones(4, 8))
        block.dense.set_weights([np.full((8, 16), 0.1, "float32"), np.zeros(16, "float32")])
        kerasish.utils.set_random_seed(3)
        torch.manual_seed(3)
        block(torch.ones(4, 8), training=True).sum().backward()
        grads.append(block.dense.kernel.grad.clone())
    assert (grads[0] == 0).any()  # dropout did drop units
    torch.testing.assert_close(grads[0], grads[1])


def test_stateless_call_matches_keras_and_leaves_the_layer_unchanged(keras):
    x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
    results = []
    for lib in (kerasish, keras):
        bn = lib.layers.BatchNormalization()
        bn(x)
        trainable = [lib.ops.convert_to_tensor(np.full((3,), 2.0, "float32")) for _ in bn.trainable_variables]
        non_trainable = [lib.ops.convert_to_tensor(np.zeros((3,), "float32")),
                         lib.ops.convert_to_tensor(np.ones((3,), "float32"))]
        out, updated = bn.stateless_call(trainable, non_trainable, x, training=True)
        results.append([np.asarray(out.detach().cpu())] + [np.asarray(v.detach().cpu()) for v in updated]
                       + [np.asarray(w) for w in bn.get_weights()]
                       + [np.asarray(non_trainable[0].cpu())])
    for ours, ref in zip(*results):
        np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="non_trainable_variables"):
        layer = kerasish.layers.BatchNormalization()
        layer(x)
        layer.stateless_call(list(layer.trainable_variables), [], x)
