"""bfloat16 weights in `.keras` files, both ways with real Keras 3: Keras stores them as opaque
2-byte datasets marked `dtype="bfloat16"` (h5py has no bfloat16); LoRA layers save their merged
kernel the same way."""

import ml_dtypes
import numpy as np
import pytest

import kerasish


def _model(module, lora_rank):
    return module.Sequential([module.Input((4,)),
                              module.layers.Dense(3, dtype="bfloat16", lora_rank=lora_rank)])


@pytest.mark.parametrize("lora_rank", [None, 2])
@pytest.mark.parametrize("writer", ["keras", "kerasish"])
def test_bfloat16_weights_cross_with_keras(keras, tmp_path, writer, lora_rank):
    modules = {"keras": keras, "kerasish": kerasish}
    reader = "kerasish" if writer == "keras" else "keras"
    model = _model(modules[writer], lora_rank)
    weights = [np.asarray(np.arange(w.size).reshape(w.shape) * 0.375 - 1, ml_dtypes.bfloat16)
               for w in model.get_weights()]
    model.set_weights(weights)
    model.save(tmp_path / "model.keras")

    loaded = modules[reader].models.load_model(tmp_path / "model.keras")
    got = loaded.get_weights()
    assert [w.dtype for w in got[:2]] == [ml_dtypes.bfloat16] * 2
    if lora_rank is None:
        for g, w in zip(got, weights):
            np.testing.assert_array_equal(g.view(np.uint16), w.view(np.uint16))
    else:  # the file holds the merged kernel; the factors come back zero
        assert not np.any(got[2]) and not np.any(got[3])
    x = np.linspace(-1, 1, 8).reshape(2, 4).astype("float32")
    np.testing.assert_allclose(
        np.asarray(loaded.predict(x, verbose=0)).astype("float32"),
        np.asarray(model.predict(x, verbose=0)).astype("float32"), rtol=1e-2, atol=1e-2)
