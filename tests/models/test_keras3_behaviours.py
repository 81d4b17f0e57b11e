"""Keras 3 model behaviours that Keras 3 code relies on, each checked against real Keras 3."""

import numpy as np
import pytest
import torch

import kerasish

RNG = np.random.default_rng(0)
X = RNG.normal(size=(32, 4)).astype("float32")
Y = (X @ RNG.normal(size=(4, 1))).astype("float32")


# ---------------------------------------------------------------------- callbacks get dicts
def _hook_logs(lib):
    seen = []

    class Recorder(lib.callbacks.Callback):
        pass

    hooks = ["on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_test_begin",
             "on_test_end", "on_predict_begin", "on_predict_end", "on_train_batch_begin",
             "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end",
             "on_predict_batch_begin", "on_predict_batch_end"]
    for hook in hooks:
        def record(self, *args, _hook=hook, **kwargs):
            logs = kwargs["logs"] if "logs" in kwargs else args[-1]
            seen.append((_hook, type(logs).__name__ if logs is None else "mapping"))
        setattr(Recorder, hook, record)
    model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(1)])
    model.compile("sgd", "mse")
    cb = Recorder()
    model.fit(X, Y, batch_size=16, epochs=1, verbose=0, callbacks=[cb], validation_data=(X, Y))
    model.evaluate(X, Y, verbose=0, callbacks=[cb])
    model.predict(X, verbose=0, callbacks=[cb])
    return sorted(set(seen))


def test_every_callback_hook_receives_a_logs_dict(keras):
    ours = _hook_logs(kerasish)
    assert ours == _hook_logs(keras)
    assert all(kind == "mapping" for _, kind in ours)


# ---------------------------------------------------------------------- the Keras 3 torch train_step
def _guide_model_class(lib):
    """The model of keras.io's "Customizing what happens in fit() with PyTorch" guide."""

    class CustomModel(lib.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.loss_tracker = lib.metrics.Mean(name="loss")
            self.mae_metric = lib.metrics.MeanAbsoluteError(name="mae")

        def train_step(self, data):
            x, y = data
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            loss.backward()
            trainable_weights = [v for v in self.trainable_weights]
            gradients = [v.value.grad for v in trainable_weights]
            with torch.no_grad():
                self.optimizer.apply(gradients, trainable_weights)
            self.loss_tracker.update_state(loss)
            self.mae_metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

        def test_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            self.loss_tracker.update_state(self.compute_loss(y=y, y_pred=y_pred))
            self.mae_metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

        @property
        def metrics(self):
            return [self.loss_tracker, self.mae_metric]

    return CustomModel


def _fit_guide_model(lib, weights=None):
    cls = _guide_model_class(lib)
    inputs = lib.Input(shape=(4,))
    model = cls(inputs, lib.layers.Dense(1)(inputs))
    if weights is not None:
        model.set_weights(weights)
    model.compile(optimizer=lib.optimizers.SGD(0.05), loss="mse")
    history = model.fit(X, Y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    return cls, model, history.history, model.evaluate(X, Y, verbose=0, return_dict=True)


def test_keras3_torch_train_step_trains_and_evaluates_like_keras(keras, tmp_path):
    cls, model, hist, ours_eval = _fit_guide_model(kerasish, _initial_weights())
    _, _, ref_hist, ref_eval = _fit_guide_model(keras, _initial_weights())
    assert sorted(hist) == sorted(ref_hist) == ["loss", "mae"]
    for key in ref_hist:
        np.testing.assert_allclose(hist[key], ref_hist[key], rtol=1e-4)
    for key in ref_eval:
        np.testing.assert_allclose(ours_eval[key], ref_eval[key], rtol=1e-4)
    path = str(tmp_path / "guide.keras")
    model.save(path)
    restored = kerasish.models.load_model(path, custom_objects={"CustomModel": cls})
    assert type(restored) is cls
    np.testing.assert_allclose(restored.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)


def _initial_weights():
    return [np.full((4, 1), 0.1, "float32"), np.zeros((1,), "float32")]


def test_custom_train_step_loops_over_compiled_metrics(keras):
    def run(lib):
        class CustomModel(lib.Model):
            def train_step(self, data):
                x, y = data
                self.zero_grad()
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
                loss.backward()
                trainable_weights = [v for v in self.trainable_weights]
                gradients = [v.value.grad for v in trainable_weights]
                with torch.no_grad():
                    self.optimizer.apply(gradients, trainable_weights)
                for metric in self.metrics:
                    if metric.name == "loss":
                        metric.update_state(loss)
                    else:
                        metric.update_state(y, y_pred)
                return {m.name: m.result() for m in self.metrics}

        inputs = lib.Input(shape=(4,))
        model = CustomModel(inputs, lib.layers.Dense(1)(inputs))
        model.set_weights(_initial_weights())
        model.compile(optimizer=lib.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
        return model.fit(X, Y, batch_size=8, epochs=2, shuffle=False, verbose=0).history

    ours, ref = run(kerasish), run(keras)
    assert sorted(ours) == sorted(ref) == ["loss", "mae"]
    for key in ref:
        np.testing.assert_allclose(ours[key], ref[key], rtol=1e-4)


# ---------------------------------------------------------------------- functional subclasses
def _functional_subclass(lib):
    class Tower(lib.Model):
        def __init__(self, units=2, **kwargs):
            inputs = lib.Input((4,))
            super().__init__(inputs, lib.layers.Dense(units)(inputs), **kwargs)
            self.units = units

        def get_config(self):
            return {**super().get_config(), "units": self.units}

    return Tower


def test_model_subclass_built_with_super_init_inputs_outputs(keras):
    ours, ref = _functional_subclass(kerasish)(units=3, name="tower"), _functional_subclass(keras)(units=3, name="tower")
    assert isinstance(ours, kerasish.Model) and ours.output.shape == ref.output.shape == (None, 3)
    assert [type(l).__name__ for l in ours.layers] == [type(l).__name__ for l in ref.layers]
    config = ours.get_config()
    assert sorted(config) == sorted(ref.get_config())
    clone = type(ours).from_config(config)
    assert type(clone) is type(ours) and clone.units == 3 and clone.name == "tower"


def test_functional_like_subclass_config_is_the_graph_and_round_trips(keras):
    def build(lib):
        class Wrapped(lib.Model):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.extra = 1

        inputs = lib.Input((4,), name="x")
        return Wrapped(inputs, lib.layers.Dense(2, name="d")(inputs), name="w")

    ours, ref = build(kerasish), build(keras)
    config, ref_config = ours.get_config(), ref.get_config()
    assert sorted(config) == sorted(ref_config)
    assert [l["class_name"] for l in config["layers"]] == [l["class_name"] for l in ref_config["layers"]]
    clone = type(ours).from_config(config)
    assert type(clone) is type(ours) and clone.extra == 1
    assert [w.shape for w in clone.get_weights()] == [w.shape for w in ours.get_weights()]


# ---------------------------------------------------------------------- summary of unbuilt models
def test_summary_of_an_unbuilt_model_prints_the_unbuilt_table(keras, capsys):
    def models(lib):
        class Sub(lib.Model):
            def __init__(self):
                super().__init__(name="sub")
                self.d = lib.layers.Dense(2, name="d")

            def call(self, x):
                return self.d(x)

        return [lib.Sequential([lib.layers.Dense(3, name="a"), lib.layers.Dense(1, name="b")], name="s"), Sub()]

    for ours, ref in zip(models(kerasish), models(keras)):
        lines = []
        ours.summary(print_fn=lambda line, *a, **k: lines.append(line))
        text = "\n".join(lines)
        ref_lines = []
        ref.summary(print_fn=lambda line, *a, **k: ref_lines.append(line))
        ref_text = "\n".join(ref_lines)
        for layer in ref.layers:
            row = f"{layer.name} ({type(layer).__name__})"
            assert row in ref_text and row in text
        assert "0 (unbuilt)" in ref_text
        ours_rows = [l for l in text.splitlines() if "(Dense)" in l]
        assert ours_rows and all("?" in l and "0 (unbuilt)" in l for l in ours_rows)
        assert "Total params: 0" in text and "Total params: 0" in ref_text
        assert not ours.built


# ---------------------------------------------------------------------- Sequential, frozen fit, masks
def test_layer_output_of_a_sequential_started_with_input(keras):
    def build(lib):
        return lib.Sequential([lib.Input((4,)), lib.layers.Dense(3, name="a"), lib.layers.Dense(2, name="b")])

    ours, ref = build(kerasish), build(keras)
    for layer, ref_layer in zip(ours.layers, ref.layers):
        assert layer.output.shape == ref_layer.output.shape
        assert layer.input.shape == ref_layer.input.shape
    assert [t.shape for t in ours.outputs] == [t.shape for t in ref.outputs] == [(None, 2)]
    assert ours.output is ours.outputs[0]  # Keras 2's `model.output` (Keras 3 has only `outputs`)
    # The common Keras 3 idiom: a feature extractor from a Sequential's inner layer.
    features = kerasish.Model(ours.inputs, ours.layers[0].output)
    expected = X @ ours.layers[0].get_weights()[0] + ours.layers[0].get_weights()[1]
    np.testing.assert_allclose(features.predict(X, verbose=0), expected, rtol=1e-5, atol=1e-5)


def test_fit_a_model_without_trainable_weights(keras):
    def run(lib):
        model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(1, trainable=False)])
        model.set_weights(_initial_weights())
        model.compile("sgd", "mse", metrics=["mae"])
        with pytest.warns(UserWarning, match="does not have any trainable weights"):
            history = model.fit(X, Y, batch_size=8, epochs=2, verbose=0).history
        return history, model.get_weights()

    (ours, weights), (ref, _) = run(kerasish), run(keras)
    assert sorted(ours) == sorted(ref)
    for key in ref:
        np.testing.assert_allclose(ours[key], ref[key], rtol=1e-5)
    np.testing.assert_array_equal(weights[0], _initial_weights()[0])


def test_keras_mask_on_eager_and_symbolic_outputs(keras):
    ids = np.array([[1, 0, 2]])
    for lib in (kerasish, keras):
        eager = lib.layers.Embedding(10, 3, mask_zero=True)(ids)
        np.testing.assert_array_equal(np.asarray(eager._keras_mask), [[True, False, True]])
    inp, ref_inp = kerasish.Input((3,)), keras.Input((3,))
    ours = kerasish.layers.Embedding(10, 3, mask_zero=True)(inp)._keras_mask
    ref = keras.layers.Embedding(10, 3, mask_zero=True)(ref_inp)._keras_mask
    assert (ours.shape, ours.dtype) == (ref.shape, ref.dtype) == ((None, 3), "bool")
    assert getattr(kerasish.layers.Dense(2)(inp), "_keras_mask", None) is None


# ---------------------------------------------------------------------- deserialize_keras_object
def _objects(lib):
    return [lib.losses.MeanSquaredError(), lib.metrics.Mean(name="m"), lib.optimizers.Adam(0.01),
            lib.initializers.GlorotUniform(seed=3), lib.regularizers.L2(0.1), lib.constraints.MaxNorm(2),
            lib.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9), lib.DTypePolicy("mixed_float16")]


@pytest.mark.parametrize("index", range(8))
def test_deserialize_keras_object_handles_every_family_both_ways(keras, index):
    ours, ref = _objects(kerasish)[index], _objects(keras)[index]
    from_keras = kerasish.saving.deserialize_keras_object(keras.saving.serialize_keras_object(ref))
    assert type(from_keras) is type(ours)
    from_ours = keras.saving.deserialize_keras_object(kerasish.saving.serialize_keras_object(ours))
    assert type(from_ours).__name__.replace("Torch", "") == type(ref).__name__.replace("Torch", "")
    config = from_keras.get_config() if hasattr(from_keras, "get_config") else {"name": from_keras.name}
    ref_config = ref.get_config() if hasattr(ref, "get_config") else {"name": ref.name}
    shared = set(config) & set(ref_config)
    assert shared and all(_same(config[k], ref_config[k]) for k in shared), (config, ref_config)


def _same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.get("name", a) == b.get("name", b) or a == b
    return a == b


def test_deserialize_keras_object_functions_and_plain_values(keras):
    deserialize = kerasish.saving.deserialize_keras_object
    assert deserialize(keras.saving.serialize_keras_object(keras.activations.relu)) is kerasish.activations.relu
    assert deserialize("relu") == keras.saving.deserialize_keras_object("relu") == "relu"
    assert deserialize({"module": "keras.activations", "class_name": "function", "config": "relu",
                        "registered_name": None}) is kerasish.activations.relu
    assert deserialize({"module": "builtins", "class_name": "function", "config": "mean_squared_error",
                        "registered_name": "function"}) is kerasish.losses.mean_squared_error

    def shout(x):
        return x

    with kerasish.saving.custom_object_scope({"shout": shout}):
        assert deserialize({"class_name": "function", "config": "shout", "module": "__main__",
                            "registered_name": "shout"}) is shout
    with pytest.raises(ValueError, match="no_such_fn"):
        deserialize({"class_name": "function", "config": "no_such_fn", "module": "builtins"})


# ---------------------------------------------------------------------- GAN-style train_step
def _gan(lib):
    """The guide's GAN pattern: two sub-models, two optimizers passed through an overridden
    `compile`, a loss function, `Mean` trackers; the latent vectors are fixed (no sampling) so
    both libraries see the same numbers."""

    class GAN(lib.Model):
        def __init__(self, discriminator, generator):
            super().__init__()
            self.discriminator = discriminator
            self.generator = generator
            self.d_loss_tracker = lib.metrics.Mean(name="d_loss")
            self.g_loss_tracker = lib.metrics.Mean(name="g_loss")
            self.built = True

        @property
        def metrics(self):
            return [self.d_loss_tracker, self.g_loss_tracker]

        def compile(self, d_optimizer, g_optimizer, loss_fn):
            super().compile()
            self.d_optimizer, self.g_optimizer, self.loss_fn = d_optimizer, g_optimizer, loss_fn

        def train_step(self, data):
            real, latent = data
            fake = self.generator(latent)
            images = torch.cat([fake.detach(), real], dim=0)
            labels = torch.cat([torch.ones((real.shape[0], 1)), torch.zeros((real.shape[0], 1))], dim=0)
            self.zero_grad()
            d_loss = self.loss_fn(labels, self.discriminator(images))
            d_loss.backward()
            grads = [v.value.grad for v in self.discriminator.trainable_weights]
            with torch.no_grad():
                self.d_optimizer.apply(grads, self.discriminator.trainable_weights)
            self.zero_grad()
            g_loss = self.loss_fn(torch.zeros((real.shape[0], 1)), self.discriminator(self.generator(latent)))
            g_loss.backward()
            grads = [v.value.grad for v in self.generator.trainable_weights]
            with torch.no_grad():
                self.g_optimizer.apply(grads, self.generator.trainable_weights)
            self.d_loss_tracker.update_state(d_loss)
            self.g_loss_tracker.update_state(g_loss)
            return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}

    disc = lib.Sequential([lib.Input((4,)), lib.layers.Dense(1, activation="sigmoid")])
    gen = lib.Sequential([lib.Input((2,)), lib.layers.Dense(4)])
    disc.set_weights([np.full((4, 1), 0.1, "float32"), np.zeros((1,), "float32")])
    gen.set_weights([np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4), np.zeros((4,), "float32")])
    gan = GAN(disc, gen)
    gan.compile(lib.optimizers.SGD(0.1), lib.optimizers.SGD(0.05), lib.losses.BinaryCrossentropy())
    return gan


def test_gan_style_train_step_with_two_optimizers(keras):
    latent = RNG.normal(size=(32, 2)).astype("float32")
    runs = []
    for lib in (kerasish, keras):
        gan = _gan(lib)
        history = gan.fit(X, latent, batch_size=8, epochs=2, shuffle=False, verbose=0).history
        runs.append((history, gan.discriminator.get_weights() + gan.generator.get_weights()))
    (ours, ours_w), (ref, ref_w) = runs
    assert sorted(ours) == sorted(ref) == ["d_loss", "g_loss"]
    for key in ref:
        np.testing.assert_allclose(ours[key], ref[key], rtol=1e-4)
    for a, b in zip(ours_w, ref_w):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
