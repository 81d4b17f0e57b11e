"""The functional-API examples run end to end (few epochs, small data)."""

import numpy as np


def test_siamese_network_learns_to_separate_pairs():
    from examples import siamese_network

    history, accuracy = siamese_network.main(n_pairs=2000, epochs=2)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert accuracy > 0.6


def test_vae_trains_with_symbolic_add_loss_and_no_compiled_loss():
    from examples import vae

    history, z_mean = vae.main(epochs=2, n_train=1000)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert "val_loss" in history.history and np.isfinite(history.history["val_loss"]).all()
    assert z_mean.shape == (500, 2)


def test_transfer_learning_freezes_then_fine_tunes():
    from examples import transfer_learning

    head, tune, unchanged, model = transfer_learning.main(epochs=2)
    assert unchanged
    assert head.history["loss"][-1] < head.history["loss"][0]
    assert len(model.trainable_weights) == 4
